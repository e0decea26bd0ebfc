"""PyInstaller's entry point: the same main() as the `opchat-gui` command."""

import sys

from opchat_gui.app.launch import main

if __name__ == "__main__":
    sys.exit(main())
