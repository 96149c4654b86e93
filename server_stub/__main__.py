from server_stub.cli import main

raise SystemExit(main())
