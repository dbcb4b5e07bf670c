"""The partitions AWS has: the one list every part of rolelint that reads an ARN's partition asks.

The CloudFormation parser reads a Mappings entry keyed by ``!Ref AWS::Partition`` only under
the name of a partition; the checks spell a wildcard partition (``arn:*:ssm:...``) out in each
one, take ``arn:aws-eusc:*`` for every resource of a policy deployed there, and line a
template's ``${AWS::Partition}`` up with a role's literal one.  Two lists once answered these
(the checks knew five partitions, the parser eight), so a role or policy of the newer
partitions was judged as no partition at all.  Parsers and checks both import this module;
it knows nothing of either.

The partitions are those of the AWS SDKs' endpoint rules (``partitions.json``); a partition
AWS adds is added here, once.
"""

from __future__ import annotations

PARTITIONS = (
    "aws",
    "aws-cn",
    "aws-us-gov",
    "aws-iso",
    "aws-iso-b",
    "aws-iso-e",
    "aws-iso-f",
    "aws-eusc",  # the AWS European Sovereign Cloud
)

# The partition as a template writes it (``arn:${AWS::Partition}:...``): each deployment's
# own, which names the same role as a literal one once deployed there.
SYMBOLIC_PARTITION = "${AWS::Partition}"


def oidc_issuer(url: str) -> str:
    """The issuer an OIDC provider's URL names, as its ARN and IAM's answers hold it (the URL
    without its scheme)."""
    return url.removeprefix("https://").removeprefix("http://")


def oidc_provider_arn(url: str, account: str, partition: str = "aws") -> str:
    """The ARN of ``account``'s OIDC provider for ``url`` (an issuer, with or without its
    scheme): a provider ARN has no path, and an account has one provider per URL.  The
    CloudFormation and Terraform parsers both build it here, so that a role of one format
    names the provider of the other alike."""
    return f"arn:{partition}:iam::{account}:oidc-provider/{oidc_issuer(url)}"
