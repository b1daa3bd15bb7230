from lambda_prep.cli import main

main()
