"""The domain: one module per group of entities, re-exported here as Django expects."""

from .base import *  # noqa: F403
from .commitments import *  # noqa: F403
from .gatherings import *  # noqa: F403
from .geography import *  # noqa: F403
from .meetings import *  # noqa: F403
from .organizations import *  # noqa: F403
from .people import *  # noqa: F403
from .proposals import *  # noqa: F403
from .sources import *  # noqa: F403
from .topics import *  # noqa: F403
