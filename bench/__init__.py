"""The benchmark harness (`make bench`): plain scripts, not an installed app. See bench/README.md."""
