"""The audit view of a scan: one row per role (and per user or group that can assume roles),
saying who can assume it, what it can do, for how long, what it reaches and how risky it is.

It answers the questions of a terminal audit ("what roles are there, who can assume each one,
what can each one do, which are the dangerous ones") from what the parsers, the assume-role graph
and the rules already computed.  Nothing here reads files or knows their formats; reporters in
:mod:`rolelint.reporters.roles` render the rows.
"""
