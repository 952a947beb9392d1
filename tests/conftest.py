pytest_plugins = ["pytester", "all_skipped"]
