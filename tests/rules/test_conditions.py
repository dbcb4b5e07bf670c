"""RL611: a condition on a key the statement's actions never carry makes the statement void."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rolelint.api import lint_paths
from rolelint.findings import Severity
from tests.rules.forms import lint_trust
from tests.rules.harness import findings_of, line_of, policy


def statement(action: Any, condition: dict[str, Any], effect: str = "Allow") -> dict[str, Any]:
    return {
        "Effect": effect,
        "Action": action,
        "Resource": "arn:aws:s3:::b",
        "Condition": condition,
    }


def rl611(tmp_path: Path, *statements: dict[str, Any]) -> list[tuple[int, Severity, str]]:
    code = policy(*statements)
    return [
        (f.location.line, f.severity, f.message)
        for f in findings_of(code, "json", tmp_path)
        if f.rule_id == "RL611"
    ]


def test_a_key_the_action_does_not_carry(tmp_path: Path) -> None:
    code = policy(statement("s3:GetObject", {"StringLike": {"s3:prefix": "a/*"}}))
    [(line, severity, message)] = rl611(tmp_path, *json.loads(code)["Statement"])
    assert line == line_of(code, '"s3:prefix"')
    assert severity is Severity.MEDIUM and "never present in requests for s3:GetObject" in message


def test_a_deny_that_never_applies_is_high(tmp_path: Path) -> None:
    [(_, severity, message)] = rl611(
        tmp_path, statement("s3:GetObject", {"StringEquals": {"s3:prefixes": "a"}}, "Deny")
    )
    assert severity is Severity.HIGH
    assert "'s3:prefixes' is not a condition key of s3 (did you mean 's3:prefix'?)" in message
    assert message.endswith("so this Deny never applies")


def test_a_wildcard_action_none_of_whose_actions_carries_the_key(tmp_path: Path) -> None:
    code = policy(statement("s3:Get*", {"StringLike": {"s3:prefix": "a/*"}}))
    [(line, _, message)] = rl611(tmp_path, *json.loads(code)["Statement"])
    assert line == line_of(code, '"s3:prefix"')
    assert "never present in requests for s3:GetAccelerateConfiguration" in message
    assert "more, and StringLike is false without it" in message


@pytest.mark.parametrize(
    ("action", "condition"),
    [
        ("s3:ListBucket", {"StringLike": {"s3:prefix": "a/*"}}),  # carried
        ("s3:GetObject", {"StringLikeIfExists": {"s3:prefix": "a/*"}}),  # IfExists
        ("s3:GetObject", {"StringNotLike": {"s3:prefix": "a/*"}}),  # negated: true when absent
        ("s3:GetObject", {"Null": {"s3:prefix": "true"}}),
        ("s3:List*", {"StringLike": {"s3:prefix": "a/*"}}),  # s3:ListBucket among them
        ("*:Get*", {"StringLike": {"s3:prefix": "a/*"}}),  # a wildcard service: not certain
        (["s3:GetObject", "ec2:RunInstances"], {"StringLike": {"s3:prefix": "a/*"}}),
        ("s3:GetObject", {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}),  # global key
        ("s3:GetObject", {"StringEquals": {"ec2:Vpc": "vpc-1"}}),  # another service's key
        ("s3:GetObject", {"StringEquals": {"s3:ExistingObjectTag/team": "a"}}),  # tag template
    ],
)
def test_what_is_not_judged(tmp_path: Path, action: Any, condition: dict[str, Any]) -> None:
    assert rl611(tmp_path, statement(action, condition)) == []


def test_a_templated_key_of_the_catalog_names_its_instances(tmp_path: Path) -> None:
    """The catalog lists kms:EncryptionContext:${EncryptionContextKey} for kms:Decrypt: the key
    of AWS's own CloudTrail key policy was "not a condition key of kms"."""
    context = "kms:EncryptionContext:aws:cloudtrail:arn"
    good = statement("kms:Decrypt", {"StringLike": {context: "arn:aws:cloudtrail:*:1:trail/*"}})
    assert rl611(tmp_path, good) == []
    typo = statement("kms:Decrypt", {"StringEquals": {"kms:EncryptionContextt:x": "y"}})
    [(_, _, message)] = rl611(tmp_path, typo)
    assert "'kms:EncryptionContextt:x' is not a condition key of kms" in message


def test_for_all_values_is_true_without_the_key(tmp_path: Path) -> None:
    """ForAllValues is vacuously true when the request carries no value of the key (IAM User
    Guide, multivalued context keys): a Deny so written does apply, ForAnyValue's does not."""
    forall = {"ForAllValues:StringLike": {"s3:prefix": "2026/*"}}
    assert rl611(tmp_path, statement("s3:GetObject", forall, "Deny")) == []
    assert rl611(tmp_path, statement("s3:GetObject", forall)) == []
    forany = {"ForAnyValue:StringLike": {"s3:prefix": "a/*"}}
    code = policy(statement("s3:GetObject", forany, "Deny"))
    [(line, severity, message)] = rl611(tmp_path, *json.loads(code)["Statement"])
    assert line == line_of(code, '"s3:prefix"') and severity is Severity.HIGH
    assert "ForAnyValue:StringLike is false without it" in message


def test_an_operator_iam_rejects_is_not_judged(tmp_path: Path) -> None:
    """``StringLikeIfexists`` is no IfExists to the model (nor a valid operator to IAM): it was
    "false without it, so this Deny never applies" while RL607 reports the operator."""
    code = policy(statement("s3:GetObject", {"StringLikeIfexists": {"s3:prefix": "a/*"}}, "Deny"))
    found = findings_of(code, "json", tmp_path)
    pairs = [(f.rule_id, f.location.line) for f in found if f.rule_id in ("RL607", "RL611")]
    assert pairs == [("RL607", line_of(code, '"StringLikeIfexists"'))]


# --- a claim of a provider the statement does not trust ----------------------------------------

ACCOUNT = "111122223333"
CLUSTER = "oidc.eks.eu-west-1.amazonaws.com/id/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
OTHER_CLUSTER = "oidc.eks.eu-west-1.amazonaws.com/id/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
GITHUB = "token.actions.githubusercontent.com"
SAML_PROVIDER = f"arn:aws:iam::{ACCOUNT}:saml-provider/CorpIdP"
TRUST_FORMS = ("cloudformation", "terraform", "json")


def provider(host: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:oidc-provider/{host}"


def trust(
    principal: Any,
    condition: dict[str, Any],
    action: str = "sts:AssumeRoleWithWebIdentity",
    effect: str = "Allow",
) -> dict[str, Any]:
    return {"Effect": effect, "Principal": principal, "Action": action, "Condition": condition}


def rl611_of_trust(
    form: str, tmp_path: Path, written: dict[str, Any]
) -> tuple[str, list[tuple[str, int, Severity, str]]]:
    text, findings = lint_trust(form, tmp_path, written)
    return text, [(f.rule_id, f.location.line, f.severity, f.message) for f in findings]


@pytest.mark.parametrize("form", TRUST_FORMS)
def test_a_claim_of_another_issuer_than_the_provider_trusted_is_never_met(
    tmp_path: Path, form: str
) -> None:
    """A token of cluster AAAA's provider carries no claim of cluster BBBB: IAM fills
    ``<issuer>:<claim>`` keys only from that issuer's tokens, so StringEquals on BBBB's ``sub``
    and ``aud`` is false for every token the statement admits, and it never applies.  It was
    RL103 critical ("any service account of any namespace") and RL108; then nothing."""
    condition = {
        "StringEquals": {
            f"{OTHER_CLUSTER}:sub": "system:serviceaccount:payments:api",
            f"{OTHER_CLUSTER}:aud": "sts.amazonaws.com",
        }
    }
    text, found = rl611_of_trust(form, tmp_path, trust({"Federated": provider(CLUSTER)}, condition))
    sub, aud = line_of(text, f"{OTHER_CLUSTER}:sub"), line_of(text, f"{OTHER_CLUSTER}:aud")
    assert [(rule, line, severity) for rule, line, severity, _ in found] == [
        ("RL611", sub, Severity.MEDIUM),
        ("RL611", aud, Severity.MEDIUM),
    ]
    message = found[0][3]
    assert (
        f"has a condition that cannot be met: '{OTHER_CLUSTER}:sub' is only in requests with a "
        f"token of '{OTHER_CLUSTER}', which no principal of the statement presents (it names "
        f"OIDC provider '{CLUSTER}'), and StringEquals is false without it, so this statement "
        "never applies"
    ) in message


@pytest.mark.parametrize("form", TRUST_FORMS)
def test_a_key_of_the_other_kind_of_provider_is_never_met(tmp_path: Path, form: str) -> None:
    """A SAML assertion carries no OIDC claim and a web identity token no SAML key: a Deny
    written so never applies (high), and an Allow of a SAML provider alone under GitHub's
    ``sub`` admits no one."""
    deny = trust(
        {"Federated": provider(GITHUB)},
        {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
        effect="Deny",
    )
    (tmp_path / "deny").mkdir()
    text, found = rl611_of_trust(form, tmp_path / "deny", deny)
    [(rule, line, severity, message)] = [hit for hit in found if hit[0] == "RL611"]
    assert (rule, line, severity) == ("RL611", line_of(text, "SAML:aud"), Severity.HIGH)
    assert "'SAML:aud' is only in requests with a SAML assertion, which no principal" in message
    assert message.endswith("so this Deny never applies")
    allow = trust(
        {"Federated": SAML_PROVIDER},
        {"StringLike": {f"{GITHUB}:sub": "repo:acme/app:*"}},
        action="sts:AssumeRoleWithSAML",
    )
    (tmp_path / "allow").mkdir()
    text, found = rl611_of_trust(form, tmp_path / "allow", allow)
    assert found == [("RL611", line_of(text, f"{GITHUB}:sub"), Severity.MEDIUM, found[0][3])]
    assert "(it names SAML provider 'CorpIdP')" in found[0][3]


GITLAB = "gitlab.com"


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize("effect", ["Allow", "Deny"])
def test_the_claims_of_two_providers_required_together_are_never_met(
    tmp_path: Path, form: str, effect: str
) -> None:
    """``Federated: [GitHub, GitLab]`` under StringEquals on the claims of both, written as if
    either would do: a request presents one token, a GitHub token carries no ``gitlab.com:``
    key and a GitLab token no GitHub one, so the statement never applies.  Each key is presented
    by one principal, so RL611 said nothing (and RL103 leaves each provider alone, bound to the
    other's claims).  The keys of the issuer tested first are taken for the meant ones: the
    other's are reported, at each key (an Allow medium, a Deny high)."""
    principal = {"Federated": [provider(GITHUB), provider(GITLAB)]}
    condition = {
        "StringEquals": {
            f"{GITHUB}:aud": "sts.amazonaws.com",
            f"{GITHUB}:sub": "repo:acme/app:ref:refs/heads/main",
            f"{GITLAB}:aud": "https://gitlab.com",
            f"{GITLAB}:sub": "project_path:acme/app:ref_type:branch:ref:main",
        }
    }
    written = trust(principal, condition, effect=effect)
    text, found = rl611_of_trust(form, tmp_path, written)
    severity = Severity.HIGH if effect == "Deny" else Severity.MEDIUM
    assert [(rule, line, level) for rule, line, level, _ in found] == [
        ("RL611", line_of(text, f"{GITLAB}:aud"), severity),
        ("RL611", line_of(text, f"{GITLAB}:sub"), severity),
    ]
    effect_words = "this Deny never applies" if effect == "Deny" else "this statement never applies"
    assert found[0][3].endswith(
        f"has a condition that cannot be met: '{GITLAB}:aud' is only in requests with a token of "
        f"'{GITLAB}', and the statement also requires '{GITHUB}:aud' (StringEquals at line "
        f"{line_of(text, f'{GITHUB}:aud')}), which only a token of '{GITHUB}' carries: a request "
        f"presents one token or assertion, and StringEquals is false without it, so {effect_words}"
    )


@pytest.mark.parametrize("form", TRUST_FORMS)
def test_an_oidc_claim_and_a_saml_key_required_together_are_never_met(
    tmp_path: Path, form: str
) -> None:
    """GitHub's provider and a SAML provider, both actions, under GitHub's ``aud`` and
    ``SAML:aud`` together: a web identity token carries no SAML key, an assertion no claim of
    GitHub's, so neither caller gets in.  The key tested second is reported."""
    written = trust(
        {"Federated": [provider(GITHUB), SAML_PROVIDER]},
        {
            "StringEquals": {
                f"{GITHUB}:aud": "sts.amazonaws.com",
                "SAML:aud": "https://signin.aws.amazon.com/saml",
            }
        },
    )
    written["Action"] = ["sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"]
    text, found = rl611_of_trust(form, tmp_path, written)
    [(rule, line, _, message)] = [hit for hit in found if hit[0] == "RL611"]
    assert (rule, line) == ("RL611", line_of(text, "SAML:aud"))
    assert "'SAML:aud' is only in requests with a SAML assertion, and the statement also" in message


def test_keys_naming_two_regions_of_a_providers_stand_in_are_never_met_together(
    tmp_path: Path,
) -> None:
    """``oidc.eks.${AWS::Region}.../id/AAAA`` may be the issuer of eu-west-1 or of us-east-1,
    but not of both: keys writing out each of them are never in one request.  Each alone may be
    the provider's (not "presented by none"); together the second is reported."""
    text = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: !Sub >-
                arn:aws:iam::${AWS::AccountId}:oidc-provider/oidc.eks.${AWS::Region}.amazonaws.com/id/AAAA
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                oidc.eks.${AWS::Region}.amazonaws.com/id/AAAA:aud: sts.amazonaws.com
                oidc.eks.eu-west-1.amazonaws.com/id/AAAA:sub: system:serviceaccount:a:b
                oidc.eks.us-east-1.amazonaws.com/id/AAAA:sub: system:serviceaccount:a:b
"""
    found = [f for f in findings_of(text, "yaml", tmp_path) if f.rule_id == "RL611"]
    assert [f.location.line for f in found] == [line_of(text, "us-east-1")]
    assert "also requires 'oidc.eks.eu-west-1.amazonaws.com/id/AAAA:sub'" in found[0].message


_TWO_ISSUERS = {
    "StringEquals": {
        f"{GITHUB}:aud": "sts.amazonaws.com",
        f"{GITHUB}:sub": "repo:acme/app:ref:refs/heads/main",
        f"{GITLAB}:sub": "project_path:acme/app:ref_type:branch:ref:main",
    }
}


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize("everyone", ["*", {"AWS": "*"}], ids=["star", "aws-star"])
def test_everyone_under_the_claims_of_two_issuers_is_never_met(
    tmp_path: Path, form: str, everyone: Any
) -> None:
    """``Principal "*"`` allowed AssumeRoleWithWebIdentity alone, under GitHub's claims and
    GitLab's ``sub``: every request presents one token (the call takes one), of one issuer, so
    none carries the keys of both and the statement never applies.  Nothing was reported:
    RL611 did not judge ``"*"`` (anyone may call), and RL101 and RL103 leave a statement bound
    to two issuers' claims alone.  The key of the issuer tested second is reported."""
    text, found = rl611_of_trust(form, tmp_path, trust(everyone, _TWO_ISSUERS))
    assert [(rule, line, level) for rule, line, level, _ in found] == [
        ("RL611", line_of(text, f"{GITLAB}:sub"), Severity.MEDIUM)
    ]
    assert (
        f"'{GITLAB}:sub' is only in requests with a token of '{GITLAB}', and the statement also "
        f"requires '{GITHUB}:aud'"
    ) in found[0][3]


def test_everyone_under_an_oidc_claim_and_a_saml_key_is_never_met(tmp_path: Path) -> None:
    """Both federated calls, under GitHub's ``aud`` and ``SAML:aud``: a request presents a
    token or an assertion, never both."""
    written = trust(
        "*",
        {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com", "SAML:aud": "https://x/saml"}},
    )
    written["Action"] = ["sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"]
    text, found = rl611_of_trust("json", tmp_path, written)
    rl611 = [(rule, line) for rule, line, _, _ in found if rule == "RL611"]
    assert rl611 == [("RL611", line_of(text, "SAML:aud"))]


@pytest.mark.parametrize(
    "action",
    [
        # Another call: rolelint does not judge which keys its requests carry.
        ["sts:AssumeRoleWithWebIdentity", "sts:AssumeRole"],
        ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
        "sts:*",
        "sts:AssumeRoleWith*",
    ],
    ids=["assume-role", "tag-session", "sts-star", "pattern"],
)
def test_everyone_with_other_calls_is_not_judged(tmp_path: Path, action: Any) -> None:
    written = trust("*", _TWO_ISSUERS, action=action)
    _, found = rl611_of_trust("json", tmp_path, written)
    assert [hit for hit in found if hit[0] == "RL611"] == []


@pytest.mark.parametrize(
    ("principal", "condition"),
    [
        # One issuer's keys: its tokens pass.
        ("*", {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com", f"{GITHUB}:sub": "x"}}),
        # The second issuer's under IfExists: a token without it passes.
        (
            "*",
            {
                "StringEquals": {f"{GITHUB}:sub": "repo:a/b:ref:refs/heads/main"},
                "StringEqualsIfExists": {f"{GITLAB}:sub": "x"},
            },
        ),
        # An AWS principal beside everyone: not judged.
        (
            ["*", f"arn:aws:iam::{ACCOUNT}:root"],
            _TWO_ISSUERS,
        ),
    ],
    ids=["one-issuer", "if-exists", "aws-principal"],
)
def test_everyone_under_keys_one_token_may_carry_is_not_never_met(
    tmp_path: Path, principal: Any, condition: dict[str, Any]
) -> None:
    if isinstance(principal, list):
        principal = {"AWS": principal}
    _, found = rl611_of_trust("json", tmp_path, trust(principal, condition))
    assert [hit for hit in found if hit[0] == "RL611"] == []


@pytest.mark.parametrize(
    "condition",
    [
        # One issuer's claims: its tokens pass, the other provider's never do.
        {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com", f"{GITHUB}:sub": "repo:a/b:*"}},
        # The other's under IfExists, a negation or ForAllValues: its tokens pass them.
        {
            "StringEquals": {f"{GITHUB}:sub": "repo:a/b:ref:refs/heads/main"},
            "StringEqualsIfExists": {f"{GITLAB}:sub": "project_path:a/b:ref_type:branch:ref:main"},
        },
        {
            "StringEquals": {f"{GITHUB}:sub": "repo:a/b:ref:refs/heads/main"},
            "StringNotEquals": {f"{GITLAB}:sub": "project_path:a/b:ref_type:branch:ref:main"},
        },
        {
            "StringEquals": {f"{GITHUB}:sub": "repo:a/b:ref:refs/heads/main"},
            "ForAllValues:StringEquals": {f"{GITLAB}:aud": "https://gitlab.com"},
        },
        # One issuer's claims in two letter cases: one issuer.
        {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com", f"{GITHUB.upper()}:sub": "x"}},
    ],
    ids=["one-issuer", "if-exists", "negated", "for-all-values", "case"],
)
def test_keys_one_request_may_carry_together_are_not_never_met(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    principal = {"Federated": [provider(GITHUB), provider(GITLAB)]}
    _, found = rl611_of_trust("json", tmp_path, trust(principal, condition))
    assert [hit for hit in found if hit[0] == "RL611"] == []


@pytest.mark.parametrize(
    ("principal", "condition"),
    [
        # The provider's own claims, in other letters.
        ({"Federated": provider(CLUSTER)}, {"StringEquals": {f"{CLUSTER.upper()}:aud": "x"}}),
        # Another principal of the statement presents such tokens.
        (
            {"Federated": [provider(CLUSTER), provider(OTHER_CLUSTER)]},
            {"StringEquals": {f"{OTHER_CLUSTER}:sub": "system:serviceaccount:a:b"}},
        ),
        # IfExists, a negation, ForAllValues and Null pass a request without the key.
        (
            {"Federated": provider(CLUSTER)},
            {"StringEqualsIfExists": {f"{OTHER_CLUSTER}:sub": "system:serviceaccount:a:b"}},
        ),
        ({"Federated": provider(CLUSTER)}, {"StringNotEquals": {f"{OTHER_CLUSTER}:sub": "x"}}),
        (
            {"Federated": provider(CLUSTER)},
            {"ForAllValues:StringEquals": {f"{OTHER_CLUSTER}:aud": "x"}},
        ),
        ({"Federated": provider(CLUSTER)}, {"Null": {f"{OTHER_CLUSTER}:sub": "false"}}),
        # Anyone: any issuer's token may be presented.
        ("*", {"StringEquals": {f"{OTHER_CLUSTER}:sub": "system:serviceaccount:a:b"}}),
        # An AWS principal beside the provider: not judged.
        (
            {"Federated": provider(CLUSTER), "AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            {"StringEquals": {f"{OTHER_CLUSTER}:sub": "system:serviceaccount:a:b"}},
        ),
        # A provider named with its URL's scheme is RL111's; its issuer is the one the keys name.
        (
            {"Federated": provider(f"https://{CLUSTER}")},
            {"StringEquals": {f"{CLUSTER}:sub": "system:serviceaccount:a:b"}},
        ),
        # A provider ARN with no name is RL111's too, no SAML provider presenting assertions.
        (
            {"Federated": f"arn:aws:iam::{ACCOUNT}:saml-provider/"},
            {"StringEquals": {f"{GITHUB}:sub": "repo:acme/app:ref:refs/heads/main"}},
        ),
        # Keys that name no issuer.
        ({"Federated": provider(CLUSTER)}, {"StringEquals": {"aws:SourceIp": "10.0.0.1"}}),
    ],
    ids=[
        "own-claim",
        "another-principal",
        "if-exists",
        "negated",
        "for-all-values",
        "null",
        "anyone",
        "aws-principal",
        "scheme",
        "nameless",
        "global-key",
    ],
)
def test_what_no_trusted_provider_leaves_unjudged(
    tmp_path: Path, principal: Any, condition: dict[str, Any]
) -> None:
    _, found = rl611_of_trust("json", tmp_path, trust(principal, condition))
    assert [hit for hit in found if hit[0] == "RL611"] == []


def test_a_provider_holding_the_templates_region_may_be_the_issuer_its_keys_name(
    tmp_path: Path,
) -> None:
    """``oidc.eks.${AWS::Region}...`` in the provider's ARN and the Region written out in the
    keys may be one issuer once deployed: not "never met"."""
    text = """\
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: !Sub >-
                arn:aws:iam::${AWS::AccountId}:oidc-provider/oidc.eks.${AWS::Region}.amazonaws.com/id/AAAA
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                oidc.eks.eu-west-1.amazonaws.com/id/AAAA:sub: system:serviceaccount:a:b
"""
    assert [f for f in findings_of(text, "yaml", tmp_path) if f.rule_id == "RL611"] == []


# --- a principal ARN no request holds -------------------------------------------------------------

SESSION = f"arn:aws:sts::{ACCOUNT}:assumed-role/vendor/sess"


@pytest.mark.parametrize("effect", ["Allow", "Deny"])
def test_a_principal_arn_test_of_a_session_s_arn_alone_is_never_met(
    tmp_path: Path, effect: str
) -> None:
    """aws:PrincipalArn holds, for a role's session, the role's ARN, never the session's (IAM
    User Guide, global condition keys: "Do not specify the assumed role session ARN as a value
    for this condition key"): a positive test whose every value is a session's ARN is false for
    every request, in any policy.  An Allow so grants nothing, a Deny refuses no one (high)."""
    code = policy(
        {
            "Effect": effect,
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::b/*",
            "Condition": {"ArnLike": {"aws:PrincipalArn": [SESSION, f"{SESSION}-*"]}},
        }
    )
    found = [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL611"]
    [(line, severity, message)] = [(f.location.line, f.severity, f.message) for f in found]
    assert line == line_of(code, '"aws:PrincipalArn"')
    assert severity is (Severity.HIGH if effect == "Deny" else Severity.MEDIUM)
    effect_words = "this Deny never applies" if effect == "Deny" else "this statement never applies"
    assert message.endswith(
        "has a condition that cannot be met: 'aws:PrincipalArn' holds the role's ARN "
        "(arn:aws:iam::<account>:role/<name>) in the requests of a role's session, never a "
        f"session's ARN, which '{SESSION}', '{SESSION}-*' each is: ArnLike is false for every "
        f"request, so {effect_words}"
    ), message


@pytest.mark.parametrize(
    "condition",
    [
        {"ArnLike": {"aws:PrincipalArn": [SESSION, f"arn:aws:iam::{ACCOUNT}:role/vendor"]}},
        {"ArnEquals": {"aws:PrincipalArn": f"arn:aws:sts::{ACCOUNT}:federated-user/alice"}},
        {"ArnNotEquals": {"aws:PrincipalArn": SESSION}},  # true for every request
        {"ArnEqualsIfExists": {"aws:PrincipalArn": SESSION}},  # an anonymous request passes
        {"StringEqualsIgnoreCase": {"aws:PrincipalArn": SESSION}},  # not judged
        {"StringLike": {"aws:PrincipalArn": f"arn:aws:*::{ACCOUNT}:assumed-role/*"}},
        {"StringLike": {"aws:PrincipalArn": f"arn:*:sts::{ACCOUNT}:assumed-role/*"}},
        {"ArnEquals": {"aws:SourceArn": SESSION}},  # another key
    ],
    ids=[
        "beside-a-role",
        "federated-user",
        "negated",
        "if-exists",
        "ignore-case",
        "wildcard-service",
        "wildcard-partition",
        "source-arn",
    ],
)
def test_a_principal_arn_test_some_request_may_pass_is_not_never_met(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    """A role's ARN beside the session's, a federated user's ARN (which aws:PrincipalArn holds),
    a test that passes without a match, an operator not judged, a wildcard that may make the
    value some other ARN, and another key are not reported."""
    code = policy(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": condition}
    )
    assert [f for f in findings_of(code, "json", tmp_path) if f.rule_id == "RL611"] == []


# --- a statement that never applies is RL611's alone ------------------------------------------

OUTSIDE = "444455556666"
OTHER_OUTSIDE = "777788889999"
GITHUB_PROVIDER = f"arn:aws:iam::{ACCOUNT}:oidc-provider/token.actions.githubusercontent.com"
OUTSIDE_SESSION = f"arn:aws:sts::{OUTSIDE}:assumed-role/vendor/sess"


def _trust(principal: Any, condition: dict[str, Any], action: Any = "sts:AssumeRole") -> Any:
    return {"Effect": "Allow", "Principal": principal, "Action": action, "Condition": condition}


def _session_pinned(**more: Any) -> dict[str, Any]:
    """An aws:PrincipalArn test of a session's ARN (never met), with ``more`` tests beside it."""
    return {"StringEquals": {"aws:PrincipalArn": OUTSIDE_SESSION, **more}}


_NEVER_APPLYING: dict[str, tuple[Any, ...]] = {
    # RL107: GitHub's provider allowed sts:AssumeRole under GitLab's audience.
    "wrong-action-other-issuer": (
        _trust(
            {"Federated": GITHUB_PROVIDER},
            {"StringEquals": {"gitlab.com:aud": "https://gitlab.com"}},
        ),
    ),
    # RL102: "*" limited to an outside account, and to a session's ARN no request holds.
    "account-limit-session-arn": (
        _trust({"AWS": "*"}, _session_pinned(**{"aws:PrincipalAccount": OUTSIDE})),
    ),
    "outside-account-session-arn": (
        _trust({"AWS": f"arn:aws:iam::{OUTSIDE}:root"}, _session_pinned()),
    ),
    # RL105: an ExternalId any caller passes.
    "weak-external-id-session-arn": (
        _trust(
            {"AWS": f"arn:aws:iam::{OUTSIDE}:root"},
            {**_session_pinned(), "StringLike": {"sts:ExternalId": "*"}},
        ),
    ),
    # RL106: the ExternalId of another account's (applying) statement.
    "reused-external-id-session-arn": (
        _trust(
            {"AWS": f"arn:aws:iam::{OUTSIDE}:root"},
            _session_pinned(**{"sts:ExternalId": "a1b2c3d4-shared"}),
        ),
        _trust(
            {"AWS": f"arn:aws:iam::{OTHER_OUTSIDE}:root"},
            {"StringEquals": {"sts:ExternalId": "a1b2c3d4-shared"}},
        ),
    ),
    # RL109: a service's name misspelt, written and tested.
    "misspelt-service-session-arn": (
        _trust({"Service": "lamda.amazonaws.com"}, _session_pinned()),
    ),
    "misspelt-service-name-session-arn": (
        _trust("*", _session_pinned(**{"aws:PrincipalServiceName": "lamda.amazonaws.com"})),
    ),
    # RL110: a service that sets aws:SourceArn, written, tested, and every service.
    "deputy-service-session-arn": (_trust({"Service": "states.amazonaws.com"}, _session_pinned()),),
    "deputy-service-name-session-arn": (
        _trust("*", _session_pinned(**{"aws:PrincipalServiceName": "states.amazonaws.com"})),
    ),
    "every-service-session-arn": (
        _trust("*", {**_session_pinned(), "Bool": {"aws:PrincipalIsAWSService": "true"}}),
    ),
}


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize("case", list(_NEVER_APPLYING))
def test_a_trust_statement_that_never_applies_gets_rl611_only(
    tmp_path: Path, form: str, case: str
) -> None:
    """A statement RL611 finds never applies admits no one: RL107 still called its action the
    wrong one, RL102 and RL105 judged the ExternalId of the outside account it admits, RL106
    that ExternalId reused by an applying statement of another account (both reported), RL109
    a misspelt service's name and RL110 a deputy service, as if each statement applied.  The
    last statement of the RL106 case applies and has a sound ExternalId: nothing to say of it."""
    _, findings = lint_trust(form, tmp_path, *_NEVER_APPLYING[case])
    assert {f.rule_id for f in findings} == {"RL611"}, [(f.rule_id, f.message) for f in findings]


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalServiceName": ""}},
        {"StringLike": {"aws:PrincipalServiceName": ["", " "]}},
        {"ForAnyValue:StringEquals": {"aws:PrincipalServiceNamesList": ""}},
    ],
    ids=["equals", "like-blank", "names-list"],
)
def test_an_empty_service_name_tested_admits_no_one(
    tmp_path: Path, form: str, condition: dict[str, Any]
) -> None:
    """Only a service's request carries aws:PrincipalServiceName (and the names list), with
    its name, never an empty one: "*" under such a test admits no one.  RL101 called it open
    to anyone (critical, "its value is empty") and RL109 said '' is no known service (info);
    RL611 alone reports it now, at the key."""
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
    text, findings = lint_trust(form, tmp_path, trust)
    [key] = condition[next(iter(condition))]
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL611", line_of(text, key))]
    assert "never empty" in findings[0].message
    assert findings[0].message.endswith(
        "is false for every request, so this statement never applies"
    )


@pytest.mark.parametrize(
    "condition",
    [
        {"StringNotEquals": {"aws:PrincipalServiceName": ""}},  # true for every request
        {"StringEqualsIfExists": {"aws:PrincipalServiceName": ""}},  # passes without the key
        {"StringEquals": {"aws:PrincipalServiceName": ["", "states.amazonaws.com"]}},
    ],
    ids=["negated", "if-exists", "beside-a-name"],
)
def test_a_service_name_test_some_request_may_pass_is_not_never_met(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
    _, findings = lint_trust("json", tmp_path, trust)
    assert "RL611" not in {f.rule_id for f in findings}


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize(
    ("principal", "condition", "before"),
    [
        ({"Service": "states.amazonaws.com"}, {"ArnLike": {"aws:SourceArn": []}}, "RL110"),
        ({"AWS": "*"}, {"StringEquals": {"aws:PrincipalOrgID": []}}, "RL101"),
        (
            {"AWS": f"arn:aws:iam::{OUTSIDE}:root"},
            {"StringEquals": {"sts:ExternalId": []}},
            "RL105",
        ),
        ({"AWS": "*"}, {"ForAnyValue:StringEquals": {"aws:PrincipalOrgPaths": []}}, "RL101"),
    ],
    ids=["source-arn", "organization", "external-id", "for-any-value"],
)
def test_a_test_of_an_empty_list_of_values_admits_no_one(
    tmp_path: Path, form: str, principal: Any, condition: dict[str, Any], before: str
) -> None:
    """A test of no value at all matches no request: IAM Access Analyzer says of it "There
    are no values for the condition key and it does not affect the policy" (the statement
    "provides no permissions"; with ForAnyValue it "never matches the request context").
    RL110 called ``ArnLike aws:SourceArn: []`` a weak source condition, RL101 and RL105 said
    ``it lists no value`` of theirs (``before``), as if the statement admitted its callers;
    RL611 alone reports it now, as it does a list of empty strings."""
    trust = {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole"}
    trust["Condition"] = condition
    text, findings = lint_trust(form, tmp_path, trust)
    [key] = condition[next(iter(condition))]
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL611", line_of(text, key))]
    assert before not in {f.rule_id for f in findings}
    assert (
        f"'{key}' is tested against an empty list of values, which no value of a request matches"
    ) in findings[0].message
    assert findings[0].message.endswith(
        "is false for every request, so this statement never applies"
    )


def test_a_permission_test_of_an_empty_list_of_values_never_applies(tmp_path: Path) -> None:
    """Whatever the key: an Allow under ``StringEquals s3:prefix: []`` grants nothing, a Deny
    under it denies nothing (high)."""
    allow = statement("s3:ListBucket", {"StringEquals": {"s3:prefix": []}})
    deny = statement("s3:ListBucket", {"Bool": {"aws:SecureTransport": []}}, "Deny")
    found = rl611(tmp_path, allow, deny)
    assert [(severity, message.rsplit(", so ", 1)[1]) for _, severity, message in found] == [
        (Severity.MEDIUM, "this statement never applies"),
        (Severity.HIGH, "this Deny never applies"),
    ]


def test_a_condition_whose_key_is_not_known_lists_no_value_of_its_own(tmp_path: Path) -> None:
    """A key rolelint cannot read (``aws:ResourceTag/${var.tag_key}``) is kept as a condition
    of no values: what it lists is not known, and it is no empty list."""
    module = tmp_path / "m"
    module.mkdir()
    (module / "main.tf").write_text(
        'variable "tag_key" {\n  type = string\n}\n\n'
        'resource "aws_iam_policy" "p" {\n  name   = "p"\n  policy = jsonencode({\n'
        '    Version = "2012-10-17"\n    Statement = [{\n      Effect   = "Allow"\n'
        '      Action   = "s3:GetObject"\n      Resource = "*"\n'
        '      Condition = { StringEquals = { "aws:ResourceTag/${var.tag_key}" = "x" } }\n'
        "    }]\n  })\n}\n"
    )
    report = lint_paths([str(module)])
    assert report.errors == []
    assert "RL611" not in {f.rule_id for f in report.findings}


@pytest.mark.parametrize(
    "condition",
    [
        {"ArnLikeIfExists": {"aws:SourceArn": []}},  # matches a request without the key
        {"ForAllValues:StringEquals": {"aws:PrincipalOrgPaths": []}},  # so does this
        {"ArnNotLike": {"aws:SourceArn": []}},
        {"Null": {"aws:SourceArn": []}},
    ],
    ids=["if-exists", "for-all-values", "negated", "null"],
)
def test_an_empty_list_of_values_some_request_may_pass_is_not_never_met(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    trust = {
        "Effect": "Allow",
        "Principal": {"Service": "states.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
    _, findings = lint_trust("json", tmp_path, trust)
    assert "RL611" not in {f.rule_id for f in findings}


SERVICE_NAME = "aws:PrincipalServiceName"


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize(
    ("condition", "values"),
    [
        (
            {
                "StringEquals": {SERVICE_NAME: "lambda.amazonaws.com"},
                "StringLike": {SERVICE_NAME: "ecs-tasks.amazonaws.com"},
            },
            "StringLike ('ecs-tasks.amazonaws.com') as well as StringEquals at line {line} "
            "('lambda.amazonaws.com')",
        ),
        (
            {
                "StringEquals": {SERVICE_NAME: ["lambda.amazonaws.com", "states.amazonaws.com"]},
                "StringLike": {SERVICE_NAME: "ecs-*"},
            },
            "StringLike ('ecs-*') as well as StringEquals at line {line} "
            "('lambda.amazonaws.com', 'states.amazonaws.com')",
        ),
        (
            {
                "StringLike": {SERVICE_NAME: "lambda.*"},
                "ForAnyValue:StringLike": {SERVICE_NAME: "ecs-*"},
            },
            "ForAnyValue:StringLike ('ecs-*') as well as StringLike at line {line} ('lambda.*')",
        ),
    ],
    ids=["two-names", "names-and-a-pattern", "two-patterns"],
)
def test_two_service_name_tests_no_name_passes_together_admit_no_one(
    tmp_path: Path, form: str, condition: dict[str, Any], values: str
) -> None:
    """aws:PrincipalServiceName holds one name, the calling service's (a single-valued key),
    and every test of a statement holds: StringEquals lambda beside StringLike ecs-tasks asks
    one name to be both.  The service pin found no service the two share and left "*" to the
    views as anyone, scoped, and no rule said a word; RL611 says the statement never applies,
    at the second test."""
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
    text, findings = lint_trust(form, tmp_path, trust)
    first, second = line_of(text, SERVICE_NAME, 1), line_of(text, SERVICE_NAME, 2)
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL611", second)]
    assert (
        f"holds one name, the calling service's, and no name passes "
        f"{values.format(line=first)}, which the statement requires too: together they are false "
        "for every request, so this statement never applies"
    ) in findings[0].message


def test_three_service_name_tests_no_name_passes_together_admit_no_one(tmp_path: Path) -> None:
    """Each two of three lists of names share one, all three none: the test that leaves no
    name is the third, said with both before it."""
    names = ["lambda.amazonaws.com", "states.amazonaws.com", "ecs-tasks.amazonaws.com"]
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": {
            "StringEquals": {SERVICE_NAME: names[:2]},
            "StringLike": {SERVICE_NAME: names[1:]},
            "ForAnyValue:StringEquals": {SERVICE_NAME: [names[0], names[2]]},
        },
    }
    text, findings = lint_trust("json", tmp_path, trust)
    assert [(f.rule_id, f.location.line) for f in findings] == [
        ("RL611", line_of(text, SERVICE_NAME, 3))
    ]
    assert "as well as StringEquals at line" in findings[0].message
    assert "and StringLike at line" in findings[0].message


@pytest.mark.parametrize(
    "condition",
    [
        {
            "StringEquals": {SERVICE_NAME: ["lambda.amazonaws.com", "states.amazonaws.com"]},
            "StringLike": {SERVICE_NAME: ["states.amazonaws.com", "ecs-tasks.amazonaws.com"]},
        },
        {
            "StringEquals": {SERVICE_NAME: "lambda.amazonaws.com"},
            "StringLike": {SERVICE_NAME: "lambda.*"},
        },
        {
            "StringLike": {SERVICE_NAME: "lambda.*"},
            "ForAnyValue:StringLike": {SERVICE_NAME: "*.amazonaws.com"},
        },
        # Every name of the calling service: two names of one service may each pass one.
        {
            "StringEquals": {SERVICE_NAME: "states.amazonaws.com"},
            "ForAnyValue:StringEquals": {"aws:PrincipalServiceNamesList": "lambda.amazonaws.com"},
        },
        {
            "StringEquals": {SERVICE_NAME: "lambda.amazonaws.com"},
            "StringNotEquals": {SERVICE_NAME: "ecs-tasks.amazonaws.com"},
        },
        {
            "StringEquals": {SERVICE_NAME: "lambda.amazonaws.com"},
            "StringEqualsIgnoreCase": {SERVICE_NAME: "LAMBDA.amazonaws.com"},
        },
    ],
    ids=["a-shared-name", "a-pattern-of-it", "two-patterns", "names-list", "negated", "any-case"],
)
def test_service_name_tests_some_name_may_pass_together_are_not_never_met(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
    _, findings = lint_trust("json", tmp_path, trust)
    assert "RL611" not in {f.rule_id for f in findings}


def test_a_service_name_test_of_an_unresolved_value_is_not_judged_together(
    tmp_path: Path,
) -> None:
    """A value rolelint cannot resolve may be the name the other test names."""
    text = """\
Parameters:
  Service: {Type: String}
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              StringEquals: {aws:PrincipalServiceName: lambda.amazonaws.com}
              StringLike: {aws:PrincipalServiceName: !Ref Service}
"""
    assert [f for f in findings_of(text, "yaml", tmp_path) if f.rule_id == "RL611"] == []


# Other single-valued keys, each with two values no one value is, what the message says the
# key holds, and a pattern of the first value.
_ONE_VALUE_KEYS = [
    ("aws:PrincipalAccount", "111122223333", "444455556666", "one account", "1111*"),
    ("aws:SourceAccount", "111122223333", "444455556666", "one account", "1111*"),
    ("aws:PrincipalOrgID", "o-aaaaaaaaaa", "o-bbbbbbbbbb", "one organization ID", "o-a*"),
    ("aws:SourceOrgID", "o-aaaaaaaaaa", "o-bbbbbbbbbb", "one organization ID", "o-a*"),
    (
        "aws:PrincipalArn",
        "arn:aws:iam::111122223333:role/a",
        "arn:aws:iam::444455556666:role/b",
        "one ARN",
        "arn:aws:iam::1111*",
    ),
    (
        "aws:SourceArn",
        "arn:aws:sns:us-east-1:111122223333:a",
        "arn:aws:sns:us-east-1:444455556666:b",
        "one ARN",
        "arn:aws:sns:*:1111*",
    ),
    ("sts:ExternalId", "Alpha-4cd1e9f2", "Beta-77b0c3aa", "one ExternalId", "Alpha-*"),
    ("aws:userid", "AROAAAAAAAAAAAAAAAAAA:ann", "AIDABBBBBBBBBBBBBBBBB", "one unique id", "AROA*"),
]


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize(
    ("key", "one", "other", "holds", "_"), _ONE_VALUE_KEYS, ids=[k[0] for k in _ONE_VALUE_KEYS]
)
def test_two_tests_of_a_single_valued_key_no_value_passes_together_admit_no_one(
    tmp_path: Path, form: str, key: str, one: str, other: str, holds: str, _: str
) -> None:
    """Every key that names who but the multivalued ones holds one value in a request (IAM
    User Guide, single-valued context keys), and every test of a statement holds: StringEquals
    one account beside StringLike another asks one account to be both.  Only the calling
    service's name was judged so; "*" under two accounts was RL102's account (the first),
    under two organizations, ExternalIds or source accounts "anyone (scoped)", no rule said a
    word.  RL611 says the statement never applies, at the second test."""
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {key: one}, "StringLike": {key: other}},
    }
    text, findings = lint_trust(form, tmp_path, trust)
    first, second = line_of(text, key, 1), line_of(text, key, 2)
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL611", second)]
    assert f"'{key}' holds {holds}, " in findings[0].message
    assert (
        f"passes StringLike ('{other}') as well as StringEquals at line {first} ('{one}'), "
        "which the statement requires too: together they are false for every request, so this "
        "statement never applies"
    ) in findings[0].message


@pytest.mark.parametrize(
    ("key", "one", "other", "_", "pattern"), _ONE_VALUE_KEYS, ids=[k[0] for k in _ONE_VALUE_KEYS]
)
@pytest.mark.parametrize("case", ["shared", "pattern", "any-case", "if-exists", "negated"])
def test_tests_of_a_single_valued_key_some_value_may_pass_are_not_never_met(
    tmp_path: Path, key: str, one: str, other: str, _: str, pattern: str, case: str
) -> None:
    """A value both tests list, a pattern of the listed value, IgnoreCase (not judged), a
    test a request without the key passes, and a negation admit some request."""
    condition = {
        "shared": {"StringEquals": {key: [one, other]}, "StringLike": {key: one}},
        "pattern": {"StringEquals": {key: one}, "StringLike": {key: pattern}},
        "any-case": {"StringEquals": {key: one}, "StringEqualsIgnoreCase": {key: other}},
        "if-exists": {"StringEquals": {key: one}, "StringNotEqualsIfExists": {key: other}},
        "negated": {"StringEquals": {key: one}, "StringNotLike": {key: other}},
    }[case]
    trust = {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
    _, findings = lint_trust("json", tmp_path, {**trust, "Condition": condition})
    assert "RL611" not in {f.rule_id for f in findings}


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize(
    ("condition", "said"),
    [
        (
            {
                "StringEquals": {"aws:PrincipalAccount": "111122223333"},
                "StringEqualsIfExists": {"aws:PrincipalAccount": "444455556666"},
            },
            "StringEqualsIfExists ('444455556666') as well as StringEquals at line {line} "
            "('111122223333')",
        ),
        (
            {
                "StringLikeIfExists": {"aws:PrincipalOrgID": "o-a*"},
                "ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-bbbbbbbbbb"},
            },
            "ForAnyValue:StringEquals ('o-bbbbbbbbbb') as well as StringLikeIfExists at line "
            "{line} ('o-a*')",
        ),
        (
            {
                "Null": {"sts:ExternalId": "false"},
                "StringEqualsIfExists": {"sts:ExternalId": "Alpha-4cd1e9f2"},
                "StringLikeIfExists": {"sts:ExternalId": "Beta-*"},
            },
            "StringLikeIfExists ('Beta-*') as well as StringEqualsIfExists at line {line} "
            "('Alpha-4cd1e9f2')",
        ),
    ],
    ids=["mandatory-then-if-exists", "if-exists-then-mandatory", "null-false"],
)
def test_an_if_exists_test_of_a_key_the_statement_requires_is_judged_with_the_others(
    tmp_path: Path, form: str, condition: dict[str, Any], said: str
) -> None:
    """A request passing a mandatory test of the key (or ``Null`` ``"false"``) carries it, so
    an ``...IfExists`` test of the same key tests it as its plain operator does: an account
    beside another under StringEqualsIfExists admits no one.  It was read as a limit (RL102
    on the first account)."""
    trust = {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
    text, findings = lint_trust(form, tmp_path, {**trust, "Condition": condition})
    (key,) = {k for test in condition.values() for k in test}
    lines = [line_of(text, key, n) for n in range(1, len(condition) + 1)]
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL611", lines[-1])]
    assert said.format(line=lines[-2]) in findings[0].message
    assert "IfExists tests it as its operator without IfExists does" in findings[0].message


@pytest.mark.parametrize(
    "condition",
    [
        {
            "StringEqualsIfExists": {"aws:PrincipalAccount": "111122223333"},
            "StringLikeIfExists": {"aws:PrincipalAccount": "4444*"},
        },
        {
            "StringEquals": {"aws:PrincipalAccount": "111122223333"},
            "StringLikeIfExists": {"aws:PrincipalAccount": "1111*"},
        },
        {
            "StringEquals": {"aws:SourceAccount": "111122223333"},
            "StringEqualsIfExists": {"aws:PrincipalAccount": "444455556666"},
        },
        {
            "Null": {"aws:PrincipalAccount": "true"},
            "StringEqualsIfExists": {"aws:PrincipalAccount": "111122223333"},
            "StringLikeIfExists": {"aws:PrincipalAccount": "4444*"},
        },
    ],
    ids=["if-exists-alone", "shared", "another-key", "null-true"],
)
def test_if_exists_tests_a_request_without_the_key_passes_are_not_never_met(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    """Without a test requiring the key, a request without it passes every IfExists test."""
    trust = {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}
    _, findings = lint_trust("json", tmp_path, {**trust, "Condition": condition})
    assert "RL611" not in {f.rule_id for f in findings}


def test_a_single_valued_key_test_of_a_symbol_deployment_fills_is_not_judged_together(
    tmp_path: Path,
) -> None:
    """``${AWS::AccountId}`` may be the account the other test names; so may a parameter."""
    text = """\
Parameters:
  Account: {Type: String}
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              StringEquals: {aws:PrincipalAccount: !Ref AWS::AccountId}
              StringLike: {aws:PrincipalAccount: "111122223333"}
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
            Condition:
              StringEquals: {aws:SourceAccount: !Ref Account}
              StringLike: {aws:SourceAccount: "111122223333"}
"""
    assert [f for f in findings_of(text, "yaml", tmp_path) if f.rule_id == "RL611"] == []


def test_two_tests_of_a_multivalued_key_are_not_judged_together(tmp_path: Path) -> None:
    """An account's organization paths are several values: two tests may hold of two."""
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": {
            "ForAnyValue:StringEquals": {"aws:PrincipalOrgPaths": "o-a/r-ab12/ou-1/"},
            "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a/r-ab12/ou-2/*"},
        },
    }
    _, findings = lint_trust("json", tmp_path, trust)
    assert "RL611" not in {f.rule_id for f in findings}


# A Federated principal rolelint cannot resolve (a parameter, a variable without a default),
# under the claims of two issuers: whichever provider it names, a request presents one token.
_UNRESOLVED_PROVIDER_CFN = """\
Parameters:
  Provider:
    Type: String
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Federated: !Ref Provider}}
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
{keys}"""
_UNRESOLVED_PROVIDER_TF = """\
variable "provider_arn" {{
  type = string
}}

resource "aws_iam_role" "r" {{
  name = "r"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Principal = {{ Federated = var.provider_arn }}
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {{
        StringEquals = {{
{keys}        }}
      }}
    }}]
  }})
}}
"""


def _unresolved_provider(form: str, keys: dict[str, str], tmp_path: Path) -> tuple[str, list[Any]]:
    if form == "cloudformation":
        written = "".join(f"                {key}: {value}\n" for key, value in keys.items())
        text, name = _UNRESOLVED_PROVIDER_CFN.format(keys=written), "t.yaml"
    else:
        written = "".join(f'          "{key}" = "{value}"\n' for key, value in keys.items())
        text, name = _UNRESOLVED_PROVIDER_TF.format(keys=written), "main.tf"
    (tmp_path / name).write_text(text)
    report = lint_paths([str(tmp_path / name)])
    assert report.errors == []
    return text, report.findings


@pytest.mark.parametrize("form", ["cloudformation", "terraform"])
def test_an_unresolved_provider_under_two_issuers_claims_admits_no_one(
    tmp_path: Path, form: str
) -> None:
    """Whichever provider ``{"Federated": !Ref Provider}`` names, each of its requests presents
    one token (AssumeRoleWithWebIdentity takes one), which never carries GitHub's audience and
    GitLab's subject both: the statement never applies.  RL611 said nothing (it judged known
    providers only) and ``rolelint roles`` listed the unresolved provider as scoped.  The
    verdict does not depend on the provider, so it holds unresolved; a key alone is not judged
    (it may be the provider's own)."""
    keys = {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "gitlab.com:sub": "project_path:acme/app:ref_type:branch:ref:main",
    }
    text, findings = _unresolved_provider(form, keys, tmp_path)
    assert [(f.rule_id, f.location.line) for f in findings] == [
        ("RL611", line_of(text, "gitlab.com:sub"))
    ]
    assert findings[0].message.endswith(
        "a request presents one token or assertion (the statement's Federated principal could "
        "not be resolved; this holds whichever provider it names), and StringEquals is false "
        "without it, so this statement never applies"
    )
    (tmp_path / "one").mkdir()
    one = {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}
    _, findings = _unresolved_provider(form, one, tmp_path / "one")
    assert "RL611" not in {f.rule_id for f in findings}


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize(
    ("action", "key", "value"),
    [
        ("sts:AssumeRoleWithWebIdentity", "SAML:aud", "https://signin.aws.amazon.com/saml"),
        ("sts:AssumeRoleWithSAML", "token.actions.githubusercontent.com:aud", "sts.amazonaws.com"),
    ],
    ids=["web-identity-saml-key", "saml-oidc-key"],
)
def test_everyone_allowed_one_token_call_under_the_other_kind_s_key_admits_no_one(
    tmp_path: Path, form: str, action: str, key: str, value: str
) -> None:
    """``"*"`` allowed only sts:AssumeRoleWithWebIdentity presents a web identity token with
    every request, never a SAML assertion: a ``SAML:`` key alone is never there (and an OIDC
    claim never with sts:AssumeRoleWithSAML).  RL101 called the trust open to anyone
    (critical); RL611 alone reports it now."""
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": action,
        "Condition": {"StringEquals": {key: value}},
    }
    text, findings = lint_trust(form, tmp_path, trust)
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL611", line_of(text, key))]
    assert f"the statement allows only {action}" in findings[0].message


@pytest.mark.parametrize(
    "action",
    [
        ["sts:AssumeRoleWithWebIdentity", "sts:AssumeRoleWithSAML"],  # either call
        "sts:AssumeRole",  # chained sessions may keep claims: not judged
    ],
    ids=["both-calls", "assume-role"],
)
def test_everyone_under_one_kind_s_key_some_call_may_present_is_not_judged(
    tmp_path: Path, action: Any
) -> None:
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": action,
        "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
    }
    _, findings = lint_trust("json", tmp_path, trust)
    assert "RL611" not in {f.rule_id for f in findings}


# --- a service's request presents no token -----------------------------------------------------


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize(
    ("principal", "key", "value"),
    [
        (
            {"Service": "states.amazonaws.com"},
            "token.actions.githubusercontent.com:aud",
            "sts.amazonaws.com",
        ),
        (
            {"Service": ["lambda.amazonaws.com", "states.amazonaws.com"]},
            "SAML:aud",
            "https://signin.aws.amazon.com/saml",
        ),
    ],
    ids=["oidc-claim", "saml-key"],
)
def test_services_under_a_federated_key_admit_no_one(
    tmp_path: Path, form: str, principal: Any, key: str, value: str
) -> None:
    """A service assumes a role with its own credentials (sts:AssumeRole), never presenting a
    web identity token or a SAML assertion: an OIDC claim or a ``saml:`` key is never in its
    request.  RL110 called states.amazonaws.com a confused deputy and RL611 said nothing; RL611
    alone reports it now, at the key."""
    trust = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {key: value}},
    }
    text, findings = lint_trust(form, tmp_path, trust)
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL611", line_of(text, key))]
    assert "which a service's request never presents" in findings[0].message
    assert findings[0].message.endswith(
        "and StringEquals is false without it, so this statement never applies"
    )


@pytest.mark.parametrize(
    ("principal", "condition"),
    [
        # A principal beside the service may present the token.
        (
            {"Service": "states.amazonaws.com", "Federated": GITHUB_PROVIDER},
            {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}},
        ),
        # IfExists passes without the key; a negation is true without it.
        (
            {"Service": "states.amazonaws.com"},
            {"StringEqualsIfExists": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
        ),
        (
            {"Service": "states.amazonaws.com"},
            {"StringNotEquals": {"token.actions.githubusercontent.com:aud": "x"}},
        ),
        # Not a federated key.
        ({"Service": "states.amazonaws.com"}, {"StringEquals": {"aws:SourceAccount": ACCOUNT}}),
    ],
    ids=["beside-a-provider", "if-exists", "negated", "source-account"],
)
def test_services_under_keys_some_request_may_pass_are_not_judged(
    tmp_path: Path, principal: Any, condition: dict[str, Any]
) -> None:
    trust = {
        "Effect": "Allow",
        "Principal": principal,
        "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity"],
        "Condition": condition,
    }
    _, findings = lint_trust("json", tmp_path, trust)
    assert "RL611" not in {f.rule_id for f in findings}


# --- an empty value of a key never empty --------------------------------------------------------


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ({"StringEquals": {"aws:PrincipalOrgID": ""}}, "holds the ID of the caller's organization"),
        ({"StringLike": {"aws:PrincipalAccount": ["", " "]}}, "holds the account of the caller"),
        (
            {"StringEqualsIgnoreCase": {"aws:SourceAccount": ""}},
            "holds the account of the resource a service calls for",
        ),
        (
            {"ForAnyValue:StringEquals": {"aws:PrincipalOrgPaths": ""}},
            "holds the paths of the caller's account in its organization",
        ),
    ],
    ids=["org-id", "account-like-blank", "source-account", "org-paths"],
)
def test_an_empty_organization_or_account_tested_admits_no_one(
    tmp_path: Path, form: str, condition: dict[str, Any], holds: str
) -> None:
    """A request carries an organization's id or paths, or an account, never an empty one:
    ``"*"`` under a positive test whose every value is empty admits no one.  RL101 called it
    open to anyone (critical, "its value is empty"); RL611 alone reports it now, at the key, as
    it reports an empty service name."""
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
    text, findings = lint_trust(form, tmp_path, trust)
    [key] = condition[next(iter(condition))]
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL611", line_of(text, key))]
    assert f"'{key}' {holds}" in findings[0].message
    assert "and never empty" in findings[0].message
    assert findings[0].message.endswith(
        "is false for every request, so this statement never applies"
    )


@pytest.mark.parametrize(
    "condition",
    [
        {"StringNotEquals": {"aws:PrincipalOrgID": ""}},  # true for every request
        {"StringEqualsIfExists": {"aws:PrincipalAccount": ""}},  # passes without the key
        {"StringEquals": {"aws:PrincipalOrgID": ["", "o-a1b2c3d4e5"]}},
        {"StringEquals": {"aws:PrincipalAccount": ["", "111122223333"]}},
    ],
    ids=["negated", "if-exists", "org-beside-an-id", "account-beside-an-id"],
)
def test_an_empty_organization_or_account_some_request_may_pass_is_not_never_met(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    """Beside an empty value, an organization's id or an account limits who: neither RL611
    nor RL101 (which called it weak, its value being empty, and so open to anyone)."""
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
    _, findings = lint_trust("json", tmp_path, trust)
    found = {f.rule_id for f in findings}
    assert "RL611" not in found
    negation = "StringNotEquals" in condition or "StringEqualsIfExists" in condition
    assert ("RL101" in found) is negation, [(f.rule_id, f.message) for f in findings]


_EVERYONE_AND_UNRESOLVED_PROVIDER_CFN = """\
Parameters:
  Provider:
    Type: String
Resources:
  R:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS: "*"
              Federated: !Ref Provider
            Action: sts:AssumeRoleWithWebIdentity
            Condition:
              StringEquals:
                token.actions.githubusercontent.com:aud: sts.amazonaws.com
                gitlab.com:sub: project_path:acme/app:ref_type:branch:ref:main
"""


def test_everyone_beside_a_provider_not_resolved_under_two_issuers_claims_admits_no_one(
    tmp_path: Path,
) -> None:
    """``"*"`` allowed only sts:AssumeRoleWithWebIdentity presents one token with each request,
    whoever calls, beside a Federated principal rolelint cannot resolve too (its requests are
    token calls as well): GitHub's audience and GitLab's subject are never in one request.
    Only identity providers rolelint knows were taken beside ``"*"``, though the reason holds
    for any provider; RL611 said nothing and RL101 judged the trust."""
    (tmp_path / "t.yaml").write_text(_EVERYONE_AND_UNRESOLVED_PROVIDER_CFN)
    report = lint_paths([str(tmp_path / "t.yaml")])
    assert report.errors == []
    text = _EVERYONE_AND_UNRESOLVED_PROVIDER_CFN
    assert [(f.rule_id, f.location.line) for f in report.findings] == [
        ("RL611", line_of(text, "gitlab.com:sub"))
    ]


# --- an empty ARN, ExternalId or unique id ------------------------------------------------------


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize(
    ("condition", "holds"),
    [
        ({"StringEquals": {"aws:PrincipalArn": ""}}, "holds the ARN of the caller"),
        ({"ArnLike": {"aws:PrincipalArn": ["", " "]}}, "holds the ARN of the caller"),
        (
            {"ArnEquals": {"aws:SourceArn": ""}},
            "holds the ARN of the resource a service calls for",
        ),
        ({"StringEquals": {"sts:ExternalId": ""}}, "holds the ExternalId the caller passes"),
        ({"StringLike": {"sts:ExternalId": ""}}, "holds the ExternalId the caller passes"),
        ({"StringEqualsIgnoreCase": {"aws:userid": ""}}, "holds the unique id of the caller"),
    ],
    ids=[
        "principal-arn",
        "principal-arn-like-blank",
        "source-arn",
        "external-id",
        "external-id-like",
        "userid",
    ],
)
def test_an_empty_arn_external_id_or_unique_id_tested_admits_no_one(
    tmp_path: Path, form: str, condition: dict[str, Any], holds: str
) -> None:
    """A request carries a principal's or a resource's ARN, an ExternalId (STS takes 2 to
    1224 characters) or a unique id, never an empty one: ``"*"`` under a positive test whose
    every value is empty admits no one.  RL101 called it open to anyone (critical, "its value
    is empty"); RL611 alone reports it now, at the key, as it reports an empty account."""
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
    text, findings = lint_trust(form, tmp_path, trust)
    [key] = condition[next(iter(condition))]
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL611", line_of(text, key))]
    assert f"'{key}' {holds}" in findings[0].message
    assert "and never empty" in findings[0].message
    assert findings[0].message.endswith(
        "is false for every request, so this statement never applies"
    )


def test_an_empty_external_id_of_an_account_s_trust_admits_no_one(tmp_path: Path) -> None:
    """An account's principals under an ExternalId test of an empty value alone: no caller
    sends one, so the statement never applies (RL611), and no rule judges whom it admits
    (RL105 called the value empty, a placeholder, of a trust that admits no one)."""
    trust = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"sts:ExternalId": ""}},
    }
    text, findings = lint_trust("json", tmp_path, trust)
    line = line_of(text, "sts:ExternalId")
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL611", line)]


@pytest.mark.parametrize(
    ("condition", "open_to_anyone"),
    [
        ({"StringNotEquals": {"sts:ExternalId": ""}}, True),  # true for every request
        ({"ArnNotLike": {"aws:PrincipalArn": ""}}, True),
        ({"ArnEqualsIfExists": {"aws:PrincipalArn": ""}}, True),  # passes without the key
        ({"StringEqualsIfExists": {"aws:userid": ""}}, True),
        ({"StringEquals": {"sts:ExternalId": ["", "8d2c6a1e-4b7f-4c1d"]}}, False),
        ({"StringLike": {"aws:userid": ["", "AROAEXAMPLEID:*"]}}, False),
        ({"ArnLike": {"aws:PrincipalArn": ["", "arn:aws:iam::*:role/ci"]}}, True),
    ],
    ids=[
        "negated-external-id",
        "negated-arn",
        "if-exists-arn",
        "if-exists-userid",
        "external-id-beside-an-id",
        "userid-beside-an-id",
        "arn-beside-any-account",
    ],
)
def test_an_empty_arn_external_id_or_unique_id_some_request_may_pass_is_not_never_met(
    tmp_path: Path, condition: dict[str, Any], open_to_anyone: bool
) -> None:
    """A negated or IfExists test of an empty value passes some request: no RL611, and RL101
    for the operator.  Beside an empty value the other values decide: a sound ExternalId or
    unique id limits who (no RL101, which called the test weak for its empty value), an ARN of
    any account does not (RL101, for that value, not the empty one)."""
    trust = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "sts:AssumeRole",
        "Condition": condition,
    }
    _, findings = lint_trust("json", tmp_path, trust)
    found = {f.rule_id for f in findings}
    assert "RL611" not in found
    assert ("RL101" in found) is open_to_anyone, [(f.rule_id, f.message) for f in findings]
    assert not any("its value is empty" in f.message for f in findings)


def test_every_key_never_empty_says_what_it_holds() -> None:
    """RL611's wording of an empty value (conditions._NEVER_EMPTY_HOLDS) and the grade's list
    of keys never empty (trust_conditions.NEVER_EMPTY_KEYS) name the same keys: a key in the
    list alone would fail every trust judgement that asks never_applies."""
    from rolelint.checks import conditions
    from rolelint.checks.trust_conditions import NEVER_EMPTY_KEYS

    assert set(conditions._NEVER_EMPTY_HOLDS) == set(NEVER_EMPTY_KEYS)


# --- an ARN test naming no ARN its key holds ----------------------------------------------------

CALLER_ARN = "holds the ARN of the caller"
RESOURCE_ARN = "holds the ARN of the resource a service calls for"


@pytest.mark.parametrize("form", TRUST_FORMS)
@pytest.mark.parametrize(
    ("principal", "condition", "holds"),
    [
        ({"AWS": "*"}, {"StringEquals": {"aws:PrincipalArn": "my-role"}}, CALLER_ARN),
        (
            {"AWS": f"arn:aws:iam::{OUTSIDE}:root"},
            {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*"}},
            CALLER_ARN,
        ),
        (
            {"AWS": "*"},
            {"StringEquals": {"aws:PrincipalArn": ["deploy-role", OUTSIDE_SESSION]}},
            CALLER_ARN,
        ),
        ("*", {"ArnLike": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{OUTSIDE}"}}, RESOURCE_ARN),
        (
            {"Service": "sns.amazonaws.com"},
            {"StringLike": {"aws:SourceArn": "alerts-*"}},
            RESOURCE_ARN,
        ),
        # ArnLike and ArnEquals match case-sensitively: no ARN begins with "ARN".
        (
            {"AWS": "*"},
            {"ArnLike": {"aws:PrincipalArn": f"ARN:aws:iam::{OUTSIDE}:role/x"}},
            CALLER_ARN,
        ),
        ({"AWS": "*"}, {"ArnEquals": {"aws:PrincipalArn": "Arn:aws:iam::*:role/x"}}, CALLER_ARN),
        (
            {"Service": "sns.amazonaws.com"},
            {"ArnLike": {"aws:SourceArn": f"ARN:aws:sns:us-east-1:{OUTSIDE}:alerts"}},
            RESOURCE_ARN,
        ),
    ],
    ids=[
        "anyone-no-arn",
        "account-five-fields",
        "beside-a-session",
        "source-five-fields",
        "service",
        "upper-case-arn",
        "upper-case-arn-any-account",
        "upper-case-source-arn",
    ],
)
def test_an_arn_test_naming_no_arn_its_key_holds_is_rl611s(
    tmp_path: Path, form: str, principal: Any, condition: dict[str, Any], holds: str
) -> None:
    """An ARN test none of whose values is an ARN its key holds (``StringEquals
    aws:PrincipalArn "my-role"``, ``ArnLike`` of five fields) admits no one: the trust rules,
    the graph and the inventory took the statement for one that never applies, yet RL611,
    which says so of every other such statement, was silent, and so was every rule.  RL611
    reports it now, at the key, whoever the principal.  So with a first field ``ARN``: IAM
    matches ARNs case-sensitively under ArnLike and ArnEquals, and rolelint read it in any
    case, as the ARN it spells (RL102 for the outside account, RL101 for any account's)."""
    text, findings = lint_trust(form, tmp_path, _trust(principal, condition))
    [key] = condition[next(iter(condition))]
    assert [(f.rule_id, f.location.line) for f in findings] == [("RL611", line_of(text, key))]
    message = findings[0].message
    assert f"'{key}' {holds}" in message, message
    assert f"no such ARN as {next(iter(condition))} reads it" in message, message
    assert message.endswith("is false for every request, so this statement never applies")
    sessions = "assumed-role" in json.dumps(condition)
    assert ("nor a role session's, which it never holds" in message) is sessions, message


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {"aws:PrincipalArn": ["my-role", f"arn:aws:iam::{OUTSIDE}:role/ci"]}},
        {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*"}},  # every IAM ARN: RL101's
        {"ArnLikeIfExists": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{OUTSIDE}"}},
        {"ArnNotLike": {"aws:SourceArn": f"arn:aws:sns:us-east-1:{OUTSIDE}"}},
    ],
    ids=["beside-an-arn", "string-like-every-arn", "if-exists", "negated"],
)
def test_an_arn_test_some_request_may_pass_is_not_rl611s(
    tmp_path: Path, condition: dict[str, Any]
) -> None:
    """An ARN beside the text that is none, a pattern every ARN of the partition matches, and
    a test a request passes without the key or without a match are no ARN test naming no
    ARN."""
    _, findings = lint_trust("json", tmp_path, _trust({"AWS": "*"}, condition))
    assert "RL611" not in {f.rule_id for f in findings}


def test_never_applies_reads_a_statement_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The trust rules, the graph, the inventory and the card each ask never_applies of every
    trust statement, seven or eight times a statement in a run (66,000 answers for 9,000
    conditioned statements, a quarter of the check): the answer is kept, by the statement and
    the kind of its policy, so its conditions are read once."""
    from rolelint.checks import conditions
    from rolelint.model import (
        Condition,
        PolicyDocument,
        PolicyKind,
        Principal,
        PrincipalKind,
        Statement,
        Value,
    )
    from rolelint.source import SourceRef
    from tests.conftest import count_calls

    ref = SourceRef("trust.json")

    def trust(key: str, value: str) -> Statement:
        return Statement(
            ref=ref,
            effect=Value("Allow", ref),
            actions=(Value("sts:AssumeRole", ref),),
            principals=(Principal(PrincipalKind.AWS, Value("*", ref)),),
            conditions=(Condition("StringEquals", key, (Value(value, ref),), ref),),
            has_action=True,
        )

    statements = (trust("aws:PrincipalArn", "my-role"), trust("aws:PrincipalOrgID", "o-a1b2c3d4e5"))
    document = PolicyDocument(PolicyKind.TRUST, ref, "trust.json", "trust policy", statements)
    read = count_calls(monkeypatch, conditions, "statement_problems")
    answers = [[conditions.never_applies(document, s) for s in statements] for _ in range(8)]
    assert answers == [[True, False]] * 8
    assert read.count == 2
    permissions = PolicyDocument(PolicyKind.PERMISSIONS, ref, "R", "policy", statements)
    assert [conditions.never_applies(permissions, s) for s in statements] == [True, False]
    assert read.count == 4  # another kind of policy is another question


@pytest.mark.parametrize("form", TRUST_FORMS)
def test_tests_of_one_account_no_value_passes_name_no_example_account(
    tmp_path: Path, form: str
) -> None:
    """The message said the key holds "the caller's (111122223333)", an account that passes the
    StringLike '1111*' it reported as passed by none: an example value reads as one of the
    template's.  It says whose value the key holds, and the values written."""
    trust = {
        "Effect": "Allow",
        "Principal": {"AWS": "*"},
        "Action": "sts:AssumeRole",
        "Condition": {
            "StringEquals": {"aws:PrincipalAccount": "444455556666"},
            "StringLike": {"aws:PrincipalAccount": "1111*"},
        },
    }
    _, findings = lint_trust(form, tmp_path, trust)
    assert [f.rule_id for f in findings] == ["RL611"]
    message = findings[0].message
    assert "holds one account, the caller's, and no account passes StringLike ('1111*')" in message
    assert "111122223333" not in message
