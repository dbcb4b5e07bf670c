"""What rolelint knows of each OIDC identity provider's tokens: the claim that says whose token
it is, how broad a pattern on it is, and the audience the provider issues for AWS.

GitHub signs tokens for every workflow of every repository, HCP Terraform for every run of every
organization, an EKS cluster for every service account of every namespace: each provider names
its owners differently, so each has a :class:`Profile` and a judge of its subject claim.  The
federation rules (:mod:`rolelint.checks.federation`) apply them.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import IntEnum

from rolelint.checks.iam_match import has_wildcard, is_all_wildcards, overlaps
from rolelint.checks.principals import Provider, TypedPrincipal, provider_of
from rolelint.model import Condition, Value, literal_index, literal_parts

GITHUB_HOST = "token.actions.githubusercontent.com"


# --- how broad a pinned value is ------------------------------------------------------------------


class Breadth(IntEnum):
    """Who a value admits, ordered: the conditions of a statement all hold, so the narrowest
    decides, and the values of one condition are alternatives, so the broadest does."""

    NARROW = 0  # what the claim is for: a repository, a project, a service account, an app
    WIDE = 1  # every repository, project or service account of one owner: medium
    OPEN = 2  # other owners, or every namespace of a cluster: the rule's default severity


@dataclass(frozen=True, slots=True)
class Verdict:
    """How broad one value is, and why in words a message can use after "which".

    ``issuer_bound``: the value admits every owner's tokens, and only the issuer, which signs
    one customer's tokens alone, keeps it to that customer's (:meth:`Profile.judged`): WIDE
    for RL103's severity, yet the condition itself pins no owner."""

    breadth: Breadth
    why: str = ""  # "admits workflows of any GitHub owner"
    issuer_bound: bool = False

    @property
    def pins_owner(self) -> bool:
        """Whether the value itself admits one owner's tokens at most (a repository, every
        repository of one owner, a namespace), whatever the issuer."""
        return self.breadth is not Breadth.OPEN and not self.issuer_bound


NARROW = Verdict(Breadth.NARROW)
Judge = Callable[[str], Verdict]


def _segments(text: str) -> list[str]:
    return text.split(":")


def _github_subject(text: str, like: bool = True) -> Verdict:
    """``repo:OWNER/REPO:<context>`` by default; a custom subject template chains
    ``claim:value`` pairs (``repository_owner:acme:repository_visibility:private``), and
    immutable subjects add ids (``repo:acme@123/app@456:...``).

    Unlike the other providers' subjects, a literal (StringEquals) GitHub subject can be too
    broad: an owner-wide template, or one that names no owner at all, which any owner can copy.
    """
    wild: Callable[[str], bool] = has_wildcard if like else _never
    any_owner = Verdict(Breadth.OPEN, "admits workflows of any GitHub owner")
    if like and is_all_wildcards(text):
        return any_owner
    parts = _segments(text)
    if wild(parts[0]):
        return any_owner  # the claim name itself is a pattern
    owners: list[str] = []  # owners pinned without one repository
    open_owner = False
    for index, name in enumerate(parts[:-1]):
        key, value = name.lower(), parts[index + 1]
        if key in _GITHUB_REPOSITORY_CLAIMS:
            owner, _, rest = value.partition("/")
            owner = owner.split("@", 1)[0]
            repository = rest.split("/", 1)[0].split("@", 1)[0]
            if wild(owner):
                open_owner = True
            elif wild(repository):
                owners.append(owner if is_all_wildcards(repository) else f"{owner}/{repository}")
            elif owner and repository:
                return NARROW  # one repository (a reusable workflow's, for job_workflow_ref)
        elif key == "repository_id":
            if wild(value):
                open_owner = True
            elif value:
                return NARROW  # a repository id is unique across GitHub
        elif key in _GITHUB_OWNER_CLAIMS:
            if wild(value):
                open_owner = True
            elif value:
                owners.append(value)
    if owners:
        owner, _, pattern = owners[0].partition("/")
        which = f" whose name matches '{pattern}'" if pattern else ""
        return Verdict(
            Breadth.WIDE,
            f"admits every repository of '{owner}'{which}, including any created there later",
        )
    if open_owner:
        return any_owner
    if len(parts) > 1 and parts[0].lower() in _GITHUB_CLAIMS:
        return Verdict(
            Breadth.OPEN,
            "names no owner or repository, so any GitHub owner can produce it with a custom "
            "subject template",
        )
    return NARROW  # a form rolelint does not know: never a guess


def _never(_: str) -> bool:
    return False


_GITHUB_REPOSITORY_CLAIMS = frozenset({"repo", "workflow_ref", "job_workflow_ref"})
_GITHUB_OWNER_CLAIMS = frozenset(
    {"repository_owner", "repository_owner_id", "enterprise", "enterprise_id"}
)
# Claims a GitHub subject template may include, and the parts of the default context.
_GITHUB_CLAIMS = frozenset(
    {
        "actor",
        "actor_id",
        "base_ref",
        "context",
        "environment",
        "event_name",
        "head_ref",
        "job_workflow_sha",
        "pull_request",
        "ref",
        "ref_type",
        "repository_visibility",
        "run_attempt",
        "run_id",
        "run_number",
        "runner_environment",
        "workflow",
        "workflow_sha",
    }
)


# Claims of a GitHub token whose value the owner of any repository sets for a workflow of its
# own: a branch or tag name, an environment name, the workflow's name, the event that runs it,
# the repository's visibility, the kind of runner, run counters.  Unlike the repository, owner,
# actor and run ids, they say nothing of whose workflow it is.
_GITHUB_CHOSEN_CLAIMS = frozenset(
    {
        "base_ref",
        "environment",
        "event_name",
        "head_ref",
        "ref",
        "ref_type",
        "repository_visibility",
        "run_attempt",
        "run_number",
        "runner_environment",
        "workflow",
    }
)


def _eks_subject(text: str) -> Verdict:
    """``system:serviceaccount:NAMESPACE:NAME``."""
    every_namespace = Verdict(
        Breadth.OPEN,
        "admits service accounts of every namespace it matches, including namespaces created later",
    )
    if is_all_wildcards(text):
        return every_namespace
    parts = _segments(text)
    if any(has_wildcard(part) for part in parts[:2]):
        return every_namespace
    if len(parts) < 3 or [p.lower() for p in parts[:2]] != ["system", "serviceaccount"]:
        return NARROW  # not a service account subject: it matches no pod's token
    namespace = parts[2]
    if not namespace or has_wildcard(namespace):
        return every_namespace
    if len(parts) > 3 and (not parts[3] or has_wildcard(parts[3])):
        return Verdict(
            Breadth.WIDE,
            f"admits every service account of namespace '{namespace}', including any created "
            "there later",
        )
    return NARROW


def _gitlab_subject(text: str) -> Verdict:
    """``project_path:GROUP/PROJECT:ref_type:TYPE:ref:REF``."""
    if is_all_wildcards(text):
        return Verdict(Breadth.OPEN, "admits jobs of any project of any group")
    parts = _segments(text)
    if has_wildcard(parts[0]):
        return Verdict(Breadth.OPEN, "admits jobs of any project of any group")
    if parts[0].lower() != "project_path" or len(parts) < 2:
        return NARROW
    path = parts[1].split("/")
    if has_wildcard(path[0]):
        return Verdict(Breadth.OPEN, "admits jobs of projects of any group")
    if len(path) < 2 or not any(has_wildcard(segment) for segment in path):
        return NARROW  # a project path; "project_path:acme" alone names none and matches nothing
    fixed = "/".join(itertools.takewhile(lambda segment: not has_wildcard(segment), path))
    return Verdict(
        Breadth.WIDE,
        f"admits every project under group '{fixed}' that it matches, including any created "
        "there later",
    )


def _terraform_subject(text: str) -> Verdict:
    """``organization:ORG:project:PROJECT:workspace:WORKSPACE:run_phase:PHASE``."""
    if is_all_wildcards(text):
        return Verdict(Breadth.OPEN, "admits runs of any HCP Terraform organization")
    parts = _segments(text)
    if has_wildcard(parts[0]):
        return Verdict(Breadth.OPEN, "admits runs of any HCP Terraform organization")
    if parts[0].lower() != "organization" or len(parts) < 2:
        return NARROW
    organization = parts[1]
    if not organization or has_wildcard(organization):
        return Verdict(Breadth.OPEN, "admits runs of any HCP Terraform organization")
    # A project groups the workspaces of one team: a wildcard workspace within it is the
    # documented way to trust the project.  Every project of the organization is wider.
    if len(parts) < 4 or has_wildcard(parts[2]) or has_wildcard(parts[3]) or not parts[3]:
        return Verdict(
            Breadth.WIDE,
            f"admits every project and workspace of organization '{organization}'",
        )
    return NARROW


def _buildkite_subject(text: str) -> Verdict:
    """``organization:ORG:pipeline:PIPELINE:ref:REF:commit:SHA:step:KEY``, or the value of one
    immutable claim the job chose as subject (a pipeline id)."""
    if is_all_wildcards(text):
        return Verdict(Breadth.OPEN, "admits jobs of any Buildkite organization")
    parts = _segments(text)
    if has_wildcard(parts[0]):
        return Verdict(Breadth.OPEN, "admits jobs of any Buildkite organization")
    if parts[0].lower() != "organization" or len(parts) < 2:
        return NARROW
    organization = parts[1]
    if not organization or has_wildcard(organization):
        return Verdict(Breadth.OPEN, "admits jobs of any Buildkite organization")
    if len(parts) < 4 or has_wildcard(parts[2]) or has_wildcard(parts[3]) or not parts[3]:
        return Verdict(
            Breadth.WIDE,
            f"admits every pipeline of organization '{organization}', including any created "
            "there later",
        )
    return NARROW


def _circleci_subject(text: str) -> Verdict:
    """``org/ORG_ID/project/PROJECT_ID/user/USER_ID``; the issuer is the organization's own."""
    parts = text.split("/")
    if is_all_wildcards(text) or (
        parts[0].lower() == "org"
        and (len(parts) < 4 or any(has_wildcard(part) or not part for part in parts[1:4]))
    ):
        return Verdict(
            Breadth.WIDE,
            "admits every project of the organization, including any created later",
        )
    return NARROW


def _bitbucket_subject(text: str) -> Verdict:
    """``{REPOSITORY_UUID}:{STEP_UUID}`` (an environment UUID follows the repository's in
    deployments); the issuer is the workspace's own."""
    if is_all_wildcards(text):
        return Verdict(
            Breadth.WIDE,
            "admits every repository of the workspace, including any created later",
        )
    return NARROW


def _application_id(what: str) -> Judge:
    """An identity pool or application id, which its owner does not choose: any wildcard in it
    may match another account's pool or application."""

    def judge(text: str) -> Verdict:
        if has_wildcard(text):
            return Verdict(Breadth.OPEN, f"is a pattern that can match another account's {what}")
        return NARROW

    return judge


def _google_client(text: str) -> Verdict:
    """``<project number>-<id>.apps.googleusercontent.com``: a pattern within one project's
    clients is that project's; a wildcard in the project number matches other projects'."""
    if has_wildcard(text.split("-", 1)[0]):
        return Verdict(Breadth.OPEN, "matches OAuth clients of any Google Cloud project")
    return NARROW


def _any_value(what: str) -> Judge:
    """Providers whose claim is an opaque id: only a value of wildcards alone is too broad."""

    def judge(text: str) -> Verdict:
        if is_all_wildcards(text):
            return Verdict(Breadth.OPEN, f"matches every {what}")
        return NARROW

    return judge


# --- the providers --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Profile:
    """What rolelint knows of one identity provider's tokens.

    ``claims``: the claims of which one must be pinned (any of them does);
    ``everyone``: who may assume the role when none is (a phrase: "any workflow of ...");
    ``judge``: how broad a StringLike pattern on the claim is;
    ``audience``: the ``aud`` the provider issues for AWS, for RL108 (None: not checked);
    ``own_issuer``: the issuer signs only one customer's tokens (an enterprise, a workspace, an
    organization), so an unpinned claim still admits only that customer: medium, not critical;
    ``literal_judge``: how broad a StringEquals value is, for the providers whose literal
    subjects can still be too broad;
    ``unit``: what one pinned subject is, for messages ("repository", "service account");
    ``chosen``: claims whose value whoever requests the token picks freely (Google's ``oaud``,
    GitHub's ``environment``): a test of one says nothing of whose token it is.
    """

    name: str
    claims: tuple[str, ...]
    everyone: str
    judge: Judge
    audience: str | None = None
    literal_judge: Judge | None = None  # for StringEquals values, where * and ? are literal
    own_issuer: bool = False
    unit: str = "subject"
    chosen: frozenset[str] = frozenset()

    def judged(self, condition: Condition, host: str) -> list[tuple[Value, Verdict]]:
        """What each value of ``condition``, a test of the claim that says whose token it is
        (:attr:`claims`), admits among the tokens issuer ``host`` signs: the one judgement of
        a claim value, which RL103 reports and the trust grades (RL101, the audit views, the
        graph) follow, so that none calls scoped what another calls open.

        A pattern (StringLike) is judged by :attr:`judge`, a literal by :attr:`literal_judge`,
        or narrow for the providers whose literal values name one owner's tokens at most.  Of
        an issuer that signs one customer's tokens only, a value open to every owner admits
        that customer's alone: WIDE, yet it pins no owner (:attr:`Verdict.pins_owner`).  Values
        rolelint cannot resolve, and blank ones, are left out: an unresolved one may be exactly
        the pin, and a blank one admits no token."""
        like = condition.matches_patterns
        return [
            (value, self._issued(self._verdict(value.text, like=like), host))
            for value in condition.values
            if value.text is not None and value.text.strip()
        ]

    def _verdict(self, text: str, *, like: bool) -> Verdict:
        if like:
            return self.judge(text)
        if self.literal_judge is not None:
            return self.literal_judge(text)
        return NARROW

    def _issued(self, verdict: Verdict, host: str) -> Verdict:
        if verdict.breadth is Breadth.OPEN and self.own_issuer:
            return Verdict(
                Breadth.WIDE,
                f"admits every {self.unit} that issuer '{host}' signs tokens for",
                issuer_bound=True,
            )
        return verdict


_PROFILES = {
    Provider.GITHUB: Profile(
        "GitHub Actions",
        ("sub",),
        "any GitHub Actions workflow, in any repository of any owner,",
        _github_subject,
        "sts.amazonaws.com",
        literal_judge=lambda text: _github_subject(text, like=False),
        unit="repository",
        chosen=_GITHUB_CHOSEN_CLAIMS,
    ),
    Provider.EKS: Profile(
        "EKS",
        ("sub",),
        "any service account of any namespace in the cluster",
        _eks_subject,
        "sts.amazonaws.com",
        unit="service account",
    ),
    Provider.GITLAB: Profile(
        "GitLab",
        ("sub",),
        "any CI/CD job of any project on {host}",
        _gitlab_subject,
        "the audience your jobs request in id_tokens, often the GitLab URL",
        unit="project",
    ),
    Provider.TERRAFORM: Profile(
        "HCP Terraform",
        ("sub",),
        "any run of any HCP Terraform organization",
        _terraform_subject,
        "aws.workload.identity unless the workspace sets another",
        unit="project",
    ),
    Provider.BUILDKITE: Profile(
        "Buildkite",
        ("sub",),
        "any job of any Buildkite organization",
        _buildkite_subject,
        "sts.amazonaws.com",
        unit="pipeline",
    ),
    Provider.BITBUCKET: Profile(
        "Bitbucket Pipelines",
        ("sub",),
        "any pipeline step of any repository in the workspace",
        _bitbucket_subject,
        "ari:cloud:bitbucket::workspace/<workspace UUID>",
        own_issuer=True,
        unit="repository",
    ),
    Provider.CIRCLECI: Profile(
        "CircleCI",
        ("sub",),
        "any job of any project in the organization",
        _circleci_subject,
        "the CircleCI organization id",
        own_issuer=True,
        unit="project",
    ),
    Provider.COGNITO: Profile(
        "Amazon Cognito",
        ("aud",),
        "identities of any Cognito identity pool, in any account,",
        _application_id("identity pool"),
        unit="identity pool",
    ),
    Provider.GOOGLE: Profile(
        "Google",
        ("aud",),
        "users of any Google application",
        _google_client,
        unit="application",
        chosen=frozenset({"oaud"}),
    ),
    Provider.FACEBOOK: Profile(
        "Facebook",
        ("app_id",),
        "users of any Facebook application",
        _application_id("application"),
        unit="application",
    ),
    Provider.AMAZON: Profile(
        "Login with Amazon",
        ("app_id",),
        "users of any Login with Amazon application",
        _application_id("application"),
        unit="application",
    ),
    # Any other issuer: its claims are unknown, so a pinned sub or aud is enough.
    Provider.GENERIC: Profile(
        "OIDC",
        ("sub", "aud"),
        "any identity that '{host}' issues tokens to",
        _any_value("value"),
    ),
}


def profile_of(principal: TypedPrincipal) -> Profile | None:
    return _profile(principal.name or "", principal.provider)


def _profile(host: str, provider: Provider | None) -> Profile | None:
    """The profile of issuer ``host``, which :func:`provider_of` names ``provider``."""
    lowered = host.lower().rstrip("/")
    if provider is Provider.GENERIC and (
        lowered.endswith("/_services/token") or _is_ghe_com(lowered)
    ):
        provider = Provider.GITHUB  # GitHub Enterprise Server, GHE.com data residency
    profile = _PROFILES.get(provider) if provider is not None else None
    if profile is None:
        return None
    if provider is Provider.GITHUB and lowered != GITHUB_HOST:
        # An enterprise's own issuer: it signs tokens for that enterprise's repositories only.
        return replace(profile, everyone="any workflow of the enterprise", own_issuer=True)
    return replace(profile, everyone=profile.everyone.format(host=host))


def _is_ghe_com(host: str) -> bool:
    labels = host.split("/", 1)[0].split(".")
    return len(labels) == 5 and labels[:2] == ["token", "actions"] and labels[3:] == ["ghe", "com"]


# --- claims rolelint does not judge ---------------------------------------------------------------


def judged_claims(profile: Profile, provider: Provider | None) -> frozenset[str]:
    """The claims of a provider's tokens that the federation rules judge: those that say whose
    token it is (RL103), the audience where the provider defines one (RL108), and Cognito's
    ``amr`` (RL103's guests).  Lower-case, as condition keys compare case-insensitively."""
    claims = set(profile.claims)
    if profile.audience is not None:
        claims.add("aud")
    if provider is Provider.COGNITO:
        claims.add("amr")
    return frozenset(claim.lower() for claim in claims)


def unjudged_claim(key: str) -> str | None:
    """The claim that condition key ``key`` names when it is one of an OIDC issuer's tokens
    (``<issuer>:<claim>``, the issuer a host and path) that the provider sets about the
    identity and rolelint has no judge for: GitHub's ``repository_id`` or ``job_workflow_ref``,
    a generic issuer's ``email``.  None for any other key (``aws:``, ``sts:``, ``saml:`` and
    service keys name no host), and for a claim whose value the caller chooses
    (:attr:`Profile.chosen`).

    Such a condition, as a mandatory positive test, limits who among the provider's tokens may
    use the statement: a token without the claim fails it, and one with it must have the value.
    Which tokens carry which value, and whether STS evaluates the key at all, rolelint does not
    know: a limit it cannot judge, never none.

    Not so of a claim the caller picks.  Google's ``accounts.google.com:oaud`` is the token's
    own ``aud`` (``accounts.google.com:aud`` is its ``azp``, the client or service account;
    IAM User Guide, available keys for AWS web identity federation), and Google mints an ID
    token for any service account with whatever audience its caller asks for
    (``projects.serviceAccounts.generateIdToken``, ``audience``): any Google identity can
    present ``oaud`` ``sts.amazonaws.com``.  A trust limited by it alone is open (RL103
    critical), as before it was counted as a limit."""
    found = _claim_of(key)
    if found is None:
        return None
    _, claim, profile, provider = found
    lowered = claim.lower()
    if lowered in judged_claims(profile, provider) or lowered in profile.chosen:
        return None
    return claim


def who_claim(key: str) -> tuple[str, Profile] | None:
    """The issuer and profile of the provider when condition key ``key`` names the claim that
    says whose token it is (GitHub's ``<issuer>:sub``, Cognito's ``<issuer>:aud``, the
    :attr:`Profile.claims` RL103 requires pinned), so that a value of it can be judged as
    RL103 judges it (:meth:`Profile.judged`); None for any other key."""
    found = _claim_of(key)
    if found is None:
        return None
    issuer, claim, profile, _ = found
    if claim.lower() not in {name.lower() for name in profile.claims}:
        return None
    return issuer, profile


def token_issuer(key: str) -> str | None:
    """The issuer (host and path) whose tokens condition key ``key`` names a claim of
    (``<issuer>:<claim>``), as written; None for any other key.  Only that issuer's tokens
    carry the claim."""
    found = _claim_of(key)
    return found[0] if found is not None else None


def may_be_one_issuer(first: str, second: str) -> bool:
    """Whether issuers ``first`` and ``second`` (host and path, as a provider's name or a
    condition key writes them) may be one, whose tokens carry the claims of both: hosts and
    condition keys compare case-insensitively, a final ``/`` is left out, and a stand-in for a
    value only deployment knows (``oidc.eks.${AWS::Region}.amazonaws.com/...``) may be any
    text.  Only two issuers that cannot be one are another's: a key of such an issuer is in no
    request of the other's tokens.

    Neither holds a URL's scheme: a provider named with one is no OIDC provider
    (:func:`~rolelint.checks.principals.url_scheme`, RL111's), and a condition key's issuer
    ends at its first ``:`` (:func:`token_issuer`), before any ``://``."""
    return overlaps(_as_pattern(first), _as_pattern(second), case_sensitive=False)


def _as_pattern(issuer: str) -> str:
    """``issuer`` as an IAM pattern matching what it may be once deployed (see
    :func:`may_be_one_issuer`)."""
    return "*".join(literal_parts(issuer.rstrip("/")))


def token_claim(key: str) -> str | None:
    """The claim, lower-case, that condition key ``key`` names when it is one of an OIDC
    issuer's tokens (``<issuer>:<claim>``: ``sub`` of ``Token.Actions.GitHubUserContent.com:SUB``);
    None for any other key, ``saml:sub`` or a tag key that ends in ``:sub``
    (``aws:PrincipalTag/team:sub``) among them.  Condition keys compare case-insensitively."""
    found = _claim_of(key)
    return found[1].lower() if found is not None else None


@functools.lru_cache(maxsize=4096)  # a pure function of the key, asked per rule
def _claim_of(key: str) -> tuple[str, str, Profile, Provider] | None:
    """The issuer, claim, profile and provider that condition key ``key`` names when it is one
    of an OIDC issuer's tokens: ``<issuer>:<claim>``, the issuer a host and path (``aws:``,
    ``sts:``, ``saml:`` and service keys name no host).  The issuer ends at the first ``:``
    outside a stand-in: ``oidc.eks.${AWS::Region}.amazonaws.com/id/X:sub`` names claim ``sub``
    of issuer ``oidc.eks.${AWS::Region}.amazonaws.com/id/X``, not a claim of ``oidc.eks.${AWS``."""
    colon = literal_index(key, ":")
    issuer, claim = key[:colon], key[colon + 1 :]
    if colon < 0 or not claim or "." not in issuer:
        return None
    provider = provider_of(issuer)
    profile = _profile(issuer, provider)
    if profile is None:
        return None
    return issuer, claim, profile, provider
