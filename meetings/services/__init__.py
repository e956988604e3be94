"""Every change to meetings, sites, contacts and what is sent about them goes through here.

``meetings`` plans, moves, cancels and copies meetings; ``sites`` creates and changes
sites and contacts; ``sites_csv`` reads the logistics companies' CSV files;
``outreach`` invites, registers and tells people; ``network`` keeps the local network;
``letters`` starts and retries the letter batches that ``meetings.tasks`` runs.
"""
