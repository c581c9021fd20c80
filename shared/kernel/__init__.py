"""The shared kernel: small value types and rule errors every service's domain layer uses.

Nothing in here does I/O; the domain packages of all three services may import it.
"""

from shared.kernel.actor import Aktoer
from shared.kernel.errors import DomainRuleViolation, NotFound

__all__ = ["Aktoer", "DomainRuleViolation", "NotFound"]
