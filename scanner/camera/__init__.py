"""From frames and keystrokes to code texts: sources, decoders, wedge scanners."""
