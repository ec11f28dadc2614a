from imgplan.entry import main

main()
