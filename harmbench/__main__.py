from harmbench.cli import main

main()
