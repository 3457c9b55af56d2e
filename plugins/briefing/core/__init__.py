"""The core: the content model, the editors' files read and checked, matching, the digest and the
open data. Pure of Pelican and of the network (the import contracts in pyproject.toml hold it)."""
