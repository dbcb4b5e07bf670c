"""Where a Terraform configuration (or plan) reads an instance's AMI from SSM.

Why it matters: AWS registers some public AMIs (Amazon Linux 2023) as requiring IMDSv2 tokens,
so an instance launched from one requires tokens where its own options set none.  Which AMI a
resource runs is known only through the SSM parameter it is read from: a
``data "aws_ssm_parameter"`` whose ``value`` (or ``insecure_value``) is the ``ami`` or
``image_id``, or the ``resolve:ssm:NAME`` form EC2 reads itself when it launches (``NAME``
with a ``:VERSION`` or ``:LABEL``, or the parameter's ARN).  Both readers of Terraform fill
``ComputeResource.ami_parameter`` from here; what a parameter's AMI requires is the check's.
"""

from __future__ import annotations

import re

SSM_PARAMETER = "aws_ssm_parameter"
# The attributes of the data source that hold the parameter's value.
SSM_VALUE_ATTRIBUTES = ("value", "insecure_value")

# ``resolve:ssm:NAME``, ``resolve:ssm:NAME:7``, ``resolve:ssm:NAME:prod`` and NAME given as
# ``arn:aws:ssm:REGION:ACCOUNT:parameter/NAME``: the name is group 1.
_AT_LAUNCH = re.compile(
    r"resolve:ssm:(?:arn:[^:]+:ssm:[^:]*:[^:]*:parameter(?=/))?([^:]+)(?::[^:]+)?"
)


def launch_parameter(text: str | None) -> str | None:
    """The SSM parameter an ``ami``/``image_id`` written ``resolve:ssm:...`` names; None for
    any other text (an AMI id, an unresolved value)."""
    found = _AT_LAUNCH.fullmatch(text.strip()) if text is not None else None
    return found.group(1) if found is not None else None
