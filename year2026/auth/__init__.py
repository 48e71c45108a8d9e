"""Who is calling and how they proved it: password and OpenID Connect sign-in, refresh sessions,
access tokens, their revocation and the signing keys. Built on `year2026.people` (accounts,
roles), which never imports it back."""
