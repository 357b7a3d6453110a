"""The program view and teachers' feedback on coaching, in one package.

Both answer the same question — is the coaching working? — without exposing a teacher: the
program view counts what happens per school and month, the feedback asks teachers themselves.
They share one rule (rules.py: no figure from fewer than 3 teachers), which the coach's panel
and the admin's view must apply identically, so the rule and both its users live together.
"""
