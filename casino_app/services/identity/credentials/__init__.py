"""What proves who someone is: passwords, TOTP and recovery codes, re-entry, throttling."""
