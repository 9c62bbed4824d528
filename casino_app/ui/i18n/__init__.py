"""The player app in English and Polish: catalogs, `tr` for pages, Babel formats for values."""
