"""Sign-in for people: signing keys and access tokens."""
