# The notebook here is opened by tests/test_browser.py in a real browser; nbval must not
# collect it (it has no stored outputs on purpose).
collect_ignore_glob = ["*.ipynb"]
