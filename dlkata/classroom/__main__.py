import sys

from dlkata.classroom.commands import main

sys.exit(main())
