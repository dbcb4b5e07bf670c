"""The SSM parameter EC2 itself reads an AMI from when it launches an instance.

An ``ImageId``/``ami``/``image_id`` written ``resolve:ssm:NAME`` (``NAME:VERSION``,
``NAME:LABEL``, NAME also as the parameter's ARN) is read by EC2 at launch (EC2 API, ImageId:
"Use a Systems Manager parameter instead of an AMI ID"); CloudFormation and Terraform pass it on
as written.  One reading for both parsers: which AMI a resource runs is known only through that
parameter (see rolelint.checks.imds.ami_requires_tokens).
"""

from __future__ import annotations

import re

# ``resolve:ssm:NAME``, ``resolve:ssm:NAME:7``, ``resolve:ssm:NAME:prod`` and NAME given as
# ``arn:aws:ssm:REGION:ACCOUNT:parameter/NAME``: the name is group 1.
_AT_LAUNCH = re.compile(
    r"resolve:ssm:(?:arn:[^:]+:ssm:[^:]*:[^:]*:parameter(?=/))?([^:]+)(?::[^:]+)?"
)


def launch_parameter(text: str | None) -> str | None:
    """The SSM parameter an AMI written ``resolve:ssm:...`` names; None for any other text (an
    AMI id, an unresolved value)."""
    found = _AT_LAUNCH.fullmatch(text.strip()) if text is not None else None
    return found.group(1) if found is not None else None
