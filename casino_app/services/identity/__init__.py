"""Identity, grouped by capability.

accounts/     people and their accounts: registration, the user store, self-service (verify
              email, reset and change password and email, unlock), emailed tokens, the mail
              outbox, preferences
credentials/  what proves who someone is: password hashing, TOTP and recovery codes, the
              password re-entered while signed in, failure counters and lockout
sessions/     signing in and staying signed in: login and logout, server-side sessions, the
              browser's session cookie, the mobile API's token families
"""
