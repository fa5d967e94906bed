from briefqa.cli import entry

entry()
