from imgplan.cli import main

main()
