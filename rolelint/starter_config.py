"""The commented configuration ``rolelint init`` writes: every setting, its default, and why a
team would change it, so a new user reads one file instead of the documentation first.

Every setting but ``fail-on`` (at its default) is commented out: the file changes nothing until
edited, and since every run validates it, a typo shows at once.
"""

from __future__ import annotations

STARTER = """\
# rolelint configuration (https://github.com/rolelint/rolelint/blob/main/docs/configuration.md).
# rolelint finds this file by walking up from the scanned path; options given on the command
# line take precedence.  Rules are named by id (RL101), id prefix (RL1), name
# (trust-policy-allows-anyone) or class (trust-wildcard); `rolelint rules` lists them.

# The lowest severity that makes `rolelint check` exit with 1: critical, high, medium, low, info.
fail-on: low

# Only these rules run (default: all), plus those of extend-select; ignore wins over both.
# select: [RL1, RL2]
# extend-select: [RL401]
# ignore: [RL404]

# Severity of every finding of a rule, when your risk model differs from rolelint's.
# severity:
#   RL401: medium

# Files and folders never scanned (counted as skipped): * within a name, ** across folders;
# a pattern without / matches a name at any depth.
# exclude:
#   - cdk.out
#   - "tests/fixtures/**"

# Findings of these rules in matching files are suppressed (kind external, visible in JSON and
# SARIF with the pattern as the reason).
# per-path-ignores:
#   "sandbox/**": [RL101, chaining]

# Your own AWS accounts and organization: trust from them is not cross-account.  Third parties
# you trust on purpose still need an ExternalId, but findings name them as known.
# accounts: ["111122223333"]
# org-ids: [o-a1b2c3d4e5]
# trusted-accounts: ["444455556666"]

# Hops a role chain may have before RL403 reports it (1 to 20).
# chain-depth: 3

# The longest MaxSessionDuration your team allows, in seconds (3600 to 43200); RL305 reports
# roles above it.  3600 suits CI and deployment roles.
# max-session-duration: 43200

# Files larger than this (in MiB) are reported as errors and not read.
# max-file-size: 10

# Adopting rolelint on an existing repository: record today's findings once with
# `rolelint check --write-baseline .rolelint-baseline.json`, then only new findings count.
# baseline: .rolelint-baseline.json

# Options rules declare in the catalog (`rolelint explain RULE` lists them).
# rule-options:
#   RL403: {chain-depth: 3}
"""
