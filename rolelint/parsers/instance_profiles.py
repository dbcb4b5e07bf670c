"""How a compute resource names its instance profile, in every format: by name, or by an ARN
whose last part is the name (Auto Scaling and launch templates take either; an EC2 instance's
own setting takes a name only, and an ARN there fails the deployment).  Profiles are known by
name; an ARN's account is written as a placeholder, which findings should not quote."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from rolelint.model import Value

# The account may be this account's placeholder, which holds colons of its own; the name may be
# a stand-in (``<generated:dir/t.yaml#Profile>``, the ARN ``!GetAtt Profile.Arn`` gives), whose
# slashes are no path's: the shortest path leaves it whole.
_PROFILE_ARN = re.compile(
    r"arn:[^:]+:iam::.*:instance-profile/(?:.*?/)??((?:[^/<]|<[^<>]*>)+)", re.DOTALL
)


def profile_name(value: Value) -> Value:
    """An instance profile given by ARN as the name profiles are known by (the last part of
    ``instance-profile/path/name``): ``arn = aws_iam_instance_profile.p.arn`` names profile
    ``p``, and a finding quotes the name, not an ARN holding a placeholder for the account.
    Any other value is returned as it is."""
    found = _PROFILE_ARN.fullmatch(value.text) if value.text is not None else None
    return Value(found.group(1), value.ref) if found is not None else value


def not_a_profile_name(value: Value) -> str | None:
    """Why an instance's own instance profile setting that is an ARN launches nothing, or None.

    EC2 takes an instance's profile by name there: Terraform's ``aws_instance`` and
    ``aws_spot_instance_request`` send ``iam_instance_profile`` as the
    IamInstanceProfileSpecification's Name (the provider's documentation: "Specified as the
    name of the Instance Profile"), and CloudFormation's ``AWS::EC2::Instance`` takes its
    ``IamInstanceProfile`` as "The name of an IAM instance profile" (its reference).  A name
    holds no colon, so EC2 refuses an ARN ("Invalid IAM Instance Profile name") and the
    deployment fails.  Linked by that exact ARN, the instance was said to expose the
    credentials of a role it never runs with.  Only a text rolelint knows whole is judged: one
    known in part may be a name built from an ARN."""
    text = value.text
    if text is None or not text.startswith("arn:"):
        return None
    named = profile_name(value)
    # A profile's ARN is said by its name: its account may be a placeholder (see above).
    if named is value:
        said = f"'{value.said()}' is an ARN, where EC2 takes an instance profile's name"
        return f"{said}{_REFUSED}"
    return profile_arn_refused(f"'{named.said()}'")


_REFUSED = ": a deployment with it fails, and no instance profile is linked for it"


def profile_arn_refused(profile: str) -> str:
    """Why an instance's own profile setting holding the ARN of ``profile`` (as a message
    names it) launches nothing (:func:`not_a_profile_name`)."""
    return f"the ARN of instance profile {profile}, where EC2 takes its name{_REFUSED}"


def launched_profiles(
    written: Iterable[Value], refused_at: Callable[[Value, str], None]
) -> list[Value]:
    """The values of an instance's own profile setting EC2 may launch it with: each one it
    refuses (:func:`not_a_profile_name`) is handed to ``refused_at`` with why (the parser's
    note at it, as it words where) and names none.  One reading for CloudFormation and
    Terraform."""
    launched = []
    for value in written:
        refused = not_a_profile_name(value)
        if refused is None:
            launched.append(value)
        else:
            refused_at(value, refused)
    return launched
