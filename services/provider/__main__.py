"""python -m services.provider"""

from services.provider.wiring import DEFAULT_PORT, NAME, build
from shared.infra.runner import main

if __name__ == "__main__":
    main(NAME, DEFAULT_PORT, build)
