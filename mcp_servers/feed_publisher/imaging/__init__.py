"""Imaging: what is done to a photo's bytes, with Pillow and without I/O.

``headers`` opens a file safely and refuses what cannot be posted; ``memory`` tells from the
header what a decode will take, ``memory_budget`` shares the process's memory among decodes
and ``freed_memory`` gives freed images back to the system; ``decoding`` decodes at the size
needed, ``framing`` crops or pads into Instagram's ratios, ``facts`` measures the photo; and
``derivatives`` makes the JPEGs that leave the server: Instagram's and Claude's copy.
"""
