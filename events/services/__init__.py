"""Multi-step writes, each in one transaction: serializers validate, services write."""

from .commitments import *  # noqa: F403
from .meetings import *  # noqa: F403
from .sources import *  # noqa: F403
