"""People, organizations and roles: the one person record every domain builds on."""
