"""The plain types every layer shares: messages, conversations, their states, redaction;
and the two conventions every layer follows: the atomic file write and placeholder filling.
Imports nothing of the app and no third-party package."""
