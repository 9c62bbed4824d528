import sys

from casino_app.cli import main

sys.exit(main())
