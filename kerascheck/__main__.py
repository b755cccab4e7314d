from kerascheck.cli import main

main(prog_name="kerascheck")
