"""python -m services.visitation"""

from services.visitation.wiring import DEFAULT_PORT, NAME, build
from shared.infra.runner import main

if __name__ == "__main__":
    main(NAME, DEFAULT_PORT, build)
