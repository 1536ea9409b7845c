import CLI

// The tool: every command lives in the CLI library.
TextDistill.main()
