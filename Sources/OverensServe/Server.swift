import Overens
