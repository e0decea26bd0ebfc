"""The plain types every layer shares: messages, conversations, their states, redaction.
Imports nothing of the app and no third-party package."""
