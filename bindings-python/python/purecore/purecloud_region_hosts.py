"""``PureCloudRegionHosts``: every Genesys Cloud region, generated from the core's table."""

from ._generated._tables import PureCloudRegionHosts

__all__ = ["PureCloudRegionHosts"]
