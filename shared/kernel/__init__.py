"""The shared kernel: small value types and rule errors every service's domain layer uses.

Nothing in here does I/O; the domain packages of all three services may import it.
"""

from shared.kernel.actor import Aktoer
from shared.kernel.errors import AdgangNaegtet, Afvisning, DomainRuleViolation, NotFound

__all__ = ["AdgangNaegtet", "Afvisning", "Aktoer", "DomainRuleViolation", "NotFound"]
