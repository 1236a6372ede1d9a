from bordermap.cli import main

main()
