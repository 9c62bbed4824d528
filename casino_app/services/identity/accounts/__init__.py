"""People and their accounts: registration, users, self-service, emailed tokens, mail, preferences."""
