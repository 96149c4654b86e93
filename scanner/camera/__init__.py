"""Frames and keystrokes in, code texts out: frame sources, the decoding cascade, the repeat
filter, the threaded pipeline, and the keyboard-wedge assembler with its garbling repairs.

Qt-free. cv2, pyzbar and zxingcpp are imported only inside this package; the wedge modules
(`wedge`, `layouts`) import none of them, so a door with only a hand scanner loads no OpenCV.
"""
