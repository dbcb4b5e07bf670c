"""How a compute resource names its instance profile, in every format: by name, or by an ARN
whose last part is the name (Auto Scaling and launch templates take either).  Profiles are
known by name; an ARN's account is written as a placeholder, which findings should not quote."""

from __future__ import annotations

import re

from rolelint.model import Value

# The account may be this account's placeholder, which holds colons of its own.
_PROFILE_ARN = re.compile(r"arn:[^:]+:iam::.*:instance-profile/(?:.*/)?([^/]+)", re.DOTALL)


def profile_name(value: Value) -> Value:
    """An instance profile given by ARN as the name profiles are known by (the last part of
    ``instance-profile/path/name``): ``arn = aws_iam_instance_profile.p.arn`` names profile
    ``p``, and a finding quotes the name, not an ARN holding a placeholder for the account.
    Any other value is returned as it is."""
    found = _PROFILE_ARN.fullmatch(value.text) if value.text is not None else None
    return Value(found.group(1), value.ref) if found is not None else value
