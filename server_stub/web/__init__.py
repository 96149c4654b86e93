"""The organizers' page, served by the companion API itself (docs/organizer.md): sign-in with
an organizer token, live counts, devices, downloads. Plain HTML built on the server, a little
vanilla JavaScript for live updates; nothing is loaded from anywhere else."""
