"""Where a Terraform configuration (or plan) reads an instance's AMI from SSM.

Why it matters: AWS registers some public AMIs (Amazon Linux 2023) as requiring IMDSv2 tokens,
so an instance launched from one requires tokens where its own options set none.  Which AMI a
resource runs is known only through the SSM parameter it is read from: a
``data "aws_ssm_parameter"`` whose ``value`` (or ``insecure_value``) is the ``ami`` or
``image_id``, or the ``resolve:ssm:NAME`` form EC2 reads itself when it launches
(rolelint.parsers.ec2_ami).  Both readers of Terraform fill
``ComputeResource.ami_parameter`` from here; what a parameter's AMI requires is the check's.
"""

from __future__ import annotations

SSM_PARAMETER = "aws_ssm_parameter"
# The attributes of the data source that hold the parameter's value.
SSM_VALUE_ATTRIBUTES = ("value", "insecure_value")
