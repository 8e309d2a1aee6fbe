"""Every write goes through these functions: each validates (the model's rules), writes in
one transaction, moves versions and records the history. Views, serializers, admin forms,
the importer and the commands only shape input and call them."""

from .commitments import *  # noqa: F403
from .dispatch import *  # noqa: F403
from .history import *  # noqa: F403
from .meetings import *  # noqa: F403
from .proposals import *  # noqa: F403
from .records import *  # noqa: F403
from .sources import *  # noqa: F403
