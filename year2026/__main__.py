from year2026.cli import main

main()
