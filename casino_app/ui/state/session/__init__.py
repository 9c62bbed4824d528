"""The tab itself: session, guard and permissions, language and zone, presses, live channel, demo."""
