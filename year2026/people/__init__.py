"""People, organizations and roles: the one person record every domain builds on. Sign-in and
tokens (`year2026.auth`) build on this package; nothing here imports them."""
