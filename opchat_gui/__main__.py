"""`python -m opchat_gui` behaves exactly like the `opchat-gui` command."""

import sys

from opchat_gui.app.launch import main

sys.exit(main())
