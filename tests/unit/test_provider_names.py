"""Provider names in pickers: two that read the same are told apart."""

from __future__ import annotations

from opchat_gui.config.provider_entries import ProviderEntry, distinct_names


def test_a_unique_name_shows_as_it_is():
    entries = [ProviderEntry("a", "Work", url="https://a.example/"),
               ProviderEntry("b", "Home", url="https://a.example/")]
    assert distinct_names(entries) == {"a": "Work", "b": "Home"}


def test_two_of_one_name_get_what_differs_host_path_or_bot():
    entries = [
        ProviderEntry("s1", "example.org", url="https://example.org"),
        ProviderEntry("s2", "example.org", url="https://example.org", bot_id="sales"),
        ProviderEntry("o1", "Local", kind="openai", url="http://127.0.0.1:11434/v1"),
        ProviderEntry("o2", "Local", kind="openai", url="http://127.0.0.1:1234/v1"),
        ProviderEntry("p1", "Blog", url="https://site.example/blog"),
        ProviderEntry("p2", "Blog", url="https://site.example/shop"),
    ]
    names = distinct_names(entries)
    assert names["o1"] == "Local (127.0.0.1:11434)"
    assert names["o2"] == "Local (127.0.0.1:1234)"
    assert names["p1"] == "Blog (site.example · /blog)"
    assert names["p2"] == "Blog (site.example · /shop)"
    assert "sales" in names["s2"] and names["s1"] != names["s2"]
    assert len(set(names.values())) == len(entries)


def test_two_entries_alike_in_everything_still_differ_by_id():
    entries = [ProviderEntry("x1", "Same", url="https://h.example"),
               ProviderEntry("x2", "Same", url="https://h.example")]
    names = distinct_names(entries)
    assert names["x1"] != names["x2"]
