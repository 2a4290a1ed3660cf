from jugcore.cli import main

main()
