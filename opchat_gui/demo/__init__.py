"""The two local servers (AI Engine and OpenAI-compatible) behind --demo, the tests and
the benchmarks. Only the app and the tests import it."""
